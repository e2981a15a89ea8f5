// Fills a company with realistic generated records through the same rules the API uses:
// customers, vendors, items (service, non-inventory, inventory), invoices with several lines, and
// payments applied to some of them. Deterministic for a given seed.

import { createRecord } from '../accounting/operations.js';
import type { RecordedChange } from '../accounting/write-context.js';
import { createWriteContext } from '../accounting/write-context.js';
import type { Company } from '../store/company.js';
import { recordsOf } from '../store/company.js';
import { addDays, pacificDate } from '../time/pacific-time.js';
import { createSeededRandom } from './seeded-random.js';

export interface SeedOptions {
  seed?: number;
  customers?: number;
  vendors?: number;
  items?: number;
  invoices?: number;
  /** Share of invoices that get a payment (0..1). */
  paymentRatio?: number;
  /** Or an exact number of payments. */
  payments?: number;
}

export interface SeedResult {
  customers: string[];
  vendors: string[];
  items: string[];
  invoices: string[];
  payments: string[];
  changes: RecordedChange[];
}

const FIRST = ['Amy', 'Bill', 'Carla', 'Dylan', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara'];
const LAST = ['Lauterbach', 'Sollfrank', 'Cook', 'Rondonuwu', 'Nguyen', 'Okafor', 'Schmidt', 'Tanaka', 'Rossi', 'Haddad', 'Kowalski', 'Moreau', 'Silva', 'Andersen', 'Patel'];
const BUSINESS = ['Bird Sanctuary', 'Bakery', 'Landscaping', 'Design Studio', 'Hardware', 'Plumbing', 'Dental Care', 'Pet Grooming', 'Print Shop', 'Coffee Roasters', 'Bike Repair', 'Florist', 'Catering', 'Auto Body'];
const VENDOR_KIND = ['Supply Co.', 'Wholesale', 'Distributors', 'Logistics', 'Materials Inc.', 'Equipment Rental', 'Office Partners', 'Utilities'];
const STREETS = ['Finch St.', 'Ocean View Road', 'Sierra Way', 'Market St.', 'Elm Ave.', 'Hillcrest Dr.', 'Main St.', 'Harbor Blvd.'];
const CITIES: Array<[string, string, string]> = [['Bayshore', 'CA', '94326'], ['Middlefield', 'CA', '94303'], ['San Pablo', 'CA', '94806'], ['Redwood City', 'CA', '94063'], ['Palo Alto', 'CA', '94301']];
const SERVICES = ['Design', 'Installation', 'Consulting', 'Maintenance', 'Gardening', 'Lighting', 'Trimming', 'Pest Control', 'Training', 'Repair'];
const PRODUCTS = ['Rock Fountain', 'Sprinkler Heads', 'Pump', 'Garden Hose', 'Fertilizer', 'Stone Path', 'Planter Box', 'Bird Bath', 'Pavers', 'Mulch'];

const accountId = (company: Company, subType: string): string | undefined =>
  [...recordsOf(company, 'Account').values()].find((r) => r.object.AccountSubType === subType)?.object.Id;

export const seedCompany = (company: Company, now: Date, options: SeedOptions = {}): SeedResult => {
  const rnd = createSeededRandom(options.seed ?? 1);
  const ctx = createWriteContext(company, now);
  const today = pacificDate(now);
  const result: SeedResult = { customers: [], vendors: [], items: [], invoices: [], payments: [], changes: ctx.changes };
  const unique = (base: string, taken: Set<string>) => {
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} ${n}`;
    taken.add(name.toLowerCase());
    return name;
  };
  const names = new Set(
    (['Customer', 'Vendor', 'Employee'] as const).flatMap((e) => [...recordsOf(company, e).values()].map((r) => String(r.object.DisplayName).toLowerCase())),
  );
  const address = () => {
    const [City, CountrySubDivisionCode, PostalCode] = rnd.pick(CITIES);
    return { Line1: `${rnd.int(10, 9999)} ${rnd.pick(STREETS)}`, City, CountrySubDivisionCode, PostalCode };
  };

  for (let i = 0; i < (options.customers ?? 0); i++) {
    const given = rnd.pick(FIRST);
    const family = rnd.pick(LAST);
    const business = rnd.chance(0.6) ? `${family}'s ${rnd.pick(BUSINESS)}` : undefined;
    const display = unique(business ?? `${given} ${family}`, names);
    const addr = address();
    const c = createRecord(ctx, 'Customer', {
      GivenName: given,
      FamilyName: family,
      ...(business ? { CompanyName: business } : {}),
      DisplayName: display,
      PrimaryEmailAddr: { Address: `${given}.${family}${i}@example.com`.toLowerCase() },
      PrimaryPhone: { FreeFormNumber: `(650) 555-${String(rnd.int(1000, 9999))}` },
      BillAddr: addr,
      ShipAddr: addr,
    });
    result.customers.push(c.Id);
  }

  for (let i = 0; i < (options.vendors ?? 0); i++) {
    const display = unique(`${rnd.pick(LAST)} ${rnd.pick(VENDOR_KIND)}`, names);
    const v = createRecord(ctx, 'Vendor', {
      DisplayName: display,
      CompanyName: display,
      PrimaryEmailAddr: { Address: `billing${i}@${display.toLowerCase().replace(/[^a-z]+/g, '')}.example.com` },
      BillAddr: address(),
      Vendor1099: rnd.chance(0.3),
    });
    result.vendors.push(v.Id);
  }

  const income = accountId(company, 'ServiceFeeIncome');
  const sales = accountId(company, 'SalesOfProductIncome');
  const cogs = accountId(company, 'SuppliesMaterialsCogs');
  const asset = accountId(company, 'Inventory');
  const itemNames = new Set([...recordsOf(company, 'Item').values()].map((r) => String(r.object.Name).toLowerCase()));
  for (let i = 0; i < (options.items ?? 0); i++) {
    const kind = i % 3 === 0 ? 'Service' : i % 3 === 1 ? 'NonInventory' : 'Inventory';
    const base = kind === 'Service' ? rnd.pick(SERVICES) : rnd.pick(PRODUCTS);
    const name = unique(base, itemNames);
    const price = rnd.int(5, 400);
    const body: Record<string, unknown> = {
      Name: name,
      Type: kind,
      Sku: `SKU-${String(1000 + i)}`,
      Description: `${name} (${kind === 'Service' ? 'per hour' : 'each'})`,
      UnitPrice: price,
      IncomeAccountRef: { value: kind === 'Service' ? income : sales },
    };
    if (kind !== 'Service') {
      body.PurchaseCost = Math.round(price * 0.55);
      body.ExpenseAccountRef = { value: cogs };
    }
    if (kind === 'Inventory') Object.assign(body, { TrackQtyOnHand: true, QtyOnHand: rnd.int(10, 500), InvStartDate: addDays(today, -60), AssetAccountRef: { value: asset } });
    result.items.push(createRecord(ctx, 'Item', body).Id);
  }

  const customers = result.customers.length > 0 ? result.customers : [...recordsOf(company, 'Customer').values()].filter((r) => r.object.Active !== false).map((r) => r.object.Id);
  const items = result.items.length > 0 ? result.items : [...recordsOf(company, 'Item').values()].filter((r) => r.object.Active !== false).map((r) => r.object.Id);
  const invoiceCount = customers.length > 0 && items.length > 0 ? (options.invoices ?? 0) : 0;
  for (let i = 0; i < invoiceCount; i++) {
    const lines = Array.from({ length: rnd.int(1, 4) }, () => {
      const itemId = rnd.pick(items);
      const item = recordsOf(company, 'Item').get(itemId)!.object;
      const qty = rnd.int(1, 10);
      const price = Number(item.UnitPrice ?? 0) || rnd.int(5, 100);
      return {
        DetailType: 'SalesItemLineDetail',
        Amount: Math.round(qty * price * 100) / 100,
        Description: item.Description,
        SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: qty, UnitPrice: price },
      };
    });
    const txnDate = addDays(today, -rnd.int(0, 25));
    result.invoices.push(createRecord(ctx, 'Invoice', { CustomerRef: { value: rnd.pick(customers) }, TxnDate: txnDate, Line: lines }).Id);
  }

  const paymentCount = Math.min(result.invoices.length, options.payments ?? Math.round(result.invoices.length * (options.paymentRatio ?? 0.4)));
  for (let i = 0; i < paymentCount; i++) {
    const invoice = recordsOf(company, 'Invoice').get(result.invoices[i]!)!.object;
    const full = rnd.chance(0.7);
    const amount = full ? Number(invoice.Balance) : Math.round(Number(invoice.Balance) * 50) / 100;
    if (amount <= 0) continue;
    const p = createRecord(ctx, 'Payment', {
      CustomerRef: { value: invoice.CustomerRef.value },
      TotalAmt: amount,
      TxnDate: invoice.TxnDate,
      PaymentRefNum: String(5000 + i),
      Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
    });
    result.payments.push(p.Id);
  }
  return result;
};
