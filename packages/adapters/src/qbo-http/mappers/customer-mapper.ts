// Canonical customer ↔ QBO Customer JSON. Updates are sparse and carry every mapped field, with empty
// values for the ones the host left out, so QBO ends up holding exactly what the host holds.

import { type Customer, type RemoteStatus, customerSchema } from '@qbo-sync/domain';
import { CLEARED_ADDRESS, addressFromQbo, addressToQbo } from './address-mapper.js';
import { parseCanonical } from './parse-canonical.js';
import { type QboObject, type QboVersion, type QboWriteBody, compact, obj, refValue, str, withoutDeletedSuffix } from './qbo-object.js';

export const customerToQbo = (customer: Customer, existing?: QboVersion): QboWriteBody => {
  const fields = compact({
    DisplayName: customer.displayName,
    GivenName: customer.givenName,
    FamilyName: customer.familyName,
    CompanyName: customer.companyName,
    PrimaryEmailAddr: customer.email === undefined ? undefined : { Address: customer.email },
    PrimaryPhone: customer.phone === undefined ? undefined : { FreeFormNumber: customer.phone },
    BillAddr: addressToQbo(customer.billingAddress),
    ShipAddr: addressToQbo(customer.shippingAddress),
    Notes: customer.notes,
    CurrencyRef: customer.currency === undefined ? undefined : { value: customer.currency },
    Active: customer.active,
  });
  if (existing === undefined) return fields;
  return {
    GivenName: '',
    FamilyName: '',
    CompanyName: '',
    PrimaryEmailAddr: { Address: '' },
    PrimaryPhone: { FreeFormNumber: '' },
    BillAddr: CLEARED_ADDRESS,
    ShipAddr: CLEARED_ADDRESS,
    Notes: '',
    ...fields,
    Id: existing.Id,
    SyncToken: existing.SyncToken,
    sparse: true,
  };
};

export const customerFromQbo = (qbo: QboObject): Customer =>
  parseCanonical(customerSchema, 'Customer', qbo.Id, {
    displayName: withoutDeletedSuffix(str(qbo['DisplayName']) ?? ''),
    givenName: str(qbo['GivenName']),
    familyName: str(qbo['FamilyName']),
    companyName: str(qbo['CompanyName']),
    email: str(obj(qbo['PrimaryEmailAddr'])?.['Address']),
    phone: str(obj(qbo['PrimaryPhone'])?.['FreeFormNumber']),
    billingAddress: addressFromQbo(qbo['BillAddr']),
    shippingAddress: addressFromQbo(qbo['ShipAddr']),
    notes: str(qbo['Notes']),
    currency: refValue(qbo['CurrencyRef']),
    active: qbo['Active'] !== false,
  });

/** Name lists are never deleted in QBO; CDC still reports merged-away records as deleted. */
export const nameListStatus = (qbo: QboObject): RemoteStatus =>
  qbo.status === 'Deleted' ? 'deleted' : qbo['Active'] === false ? 'inactive' : 'active';
