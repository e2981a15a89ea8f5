// A postal address as the canonical records carry it; maps to QBO's PhysicalAddress (BillAddr, ShipAddr).

import { z } from 'zod';
import { optional, text } from './record-fields.js';

export const addressSchema = z.strictObject({
  line1: optional(text(500)),
  line2: optional(text(500)),
  city: optional(text(255)),
  /** State, province or county: QBO's CountrySubDivisionCode. */
  region: optional(text(255)),
  postalCode: optional(text(30)),
  country: optional(text(255)),
});

export type Address = z.output<typeof addressSchema>;
