// Canonical address ↔ QBO PhysicalAddress (BillAddr, ShipAddr).

import type { Address } from '@qbo-sync/domain';
import { compact, obj, str } from './qbo-object.js';

export const addressToQbo = (address: Address | undefined): Record<string, string> | undefined =>
  address === undefined
    ? undefined
    : (compact({
        Line1: address.line1,
        Line2: address.line2,
        City: address.city,
        CountrySubDivisionCode: address.region,
        PostalCode: address.postalCode,
        Country: address.country,
      }) as Record<string, string>);

/** An address with nothing this service maps in it is no address. */
export const addressFromQbo = (value: unknown): Address | undefined => {
  const qbo = obj(value);
  if (qbo === undefined) return undefined;
  const address = compact({
    line1: str(qbo['Line1']),
    line2: str(qbo['Line2']),
    city: str(qbo['City']),
    region: str(qbo['CountrySubDivisionCode']),
    postalCode: str(qbo['PostalCode']),
    country: str(qbo['Country']),
  });
  return Object.keys(address).length === 0 ? undefined : address;
};

/** A sparse update clears an address's mapped fields with empty strings, so a field the host dropped goes. */
export const CLEARED_ADDRESS = { Line1: '', Line2: '', City: '', CountrySubDivisionCode: '', PostalCode: '', Country: '' } as const;
