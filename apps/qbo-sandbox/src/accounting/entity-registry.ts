// Which rules serve which entity type.

import type { EntityName } from '../store/entity-name.js';
import type { EntityDefinition } from './entity-definition.js';
import { accountDefinition } from './entities/account.js';
import { billDefinition } from './entities/bill.js';
import { companyInfoDefinition } from './entities/company-info.js';
import { customerDefinition } from './entities/customer.js';
import { employeeDefinition } from './entities/employee.js';
import { estimateDefinition } from './entities/estimate.js';
import { invoiceDefinition } from './entities/invoice.js';
import { itemDefinition } from './entities/item.js';
import { journalEntryDefinition } from './entities/journal-entry.js';
import { paymentDefinition } from './entities/payment.js';
import { preferencesDefinition } from './entities/preferences.js';
import { purchaseOrderDefinition } from './entities/purchase-order.js';
import { salesReceiptDefinition } from './entities/sales-receipt.js';
import { vendorDefinition } from './entities/vendor.js';

export const ENTITY_DEFINITIONS: Record<EntityName, EntityDefinition> = {
  Customer: customerDefinition,
  Vendor: vendorDefinition,
  Employee: employeeDefinition,
  Item: itemDefinition,
  Account: accountDefinition,
  Invoice: invoiceDefinition,
  Payment: paymentDefinition,
  SalesReceipt: salesReceiptDefinition,
  Estimate: estimateDefinition,
  PurchaseOrder: purchaseOrderDefinition,
  Bill: billDefinition,
  JournalEntry: journalEntryDefinition,
  CompanyInfo: companyInfoDefinition,
  Preferences: preferencesDefinition,
};
