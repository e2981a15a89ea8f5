// The canonical item (product or service). Accounts are QBO account ids; when absent the push takes the
// tenant's account mapping, else defaults found in the company.

import { z } from 'zod';
import { decimal, isoDate, listName, optional, qboRef, text } from './record-fields.js';

export const ITEM_TYPES = ['inventory', 'non_inventory', 'service'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** QBO's Item Name limit. */
export const ITEM_NAME_MAX = 100;

export const itemSchema = z
  .strictObject({
    name: listName(ITEM_NAME_MAX),
    description: optional(text(4000)),
    /** The host's tag id; QBO's Sku. Matching tries it before the name. */
    sku: optional(text(100)),
    type: z.enum(ITEM_TYPES),
    salesPrice: optional(decimal),
    costPrice: optional(decimal),
    /** Inventory items only. */
    quantityOnHand: optional(decimal),
    /** Inventory items only: the date the quantity on hand counts from (QBO requires one; the push defaults it). */
    inventoryStartDate: optional(isoDate),
    incomeAccountId: optional(qboRef),
    expenseAccountId: optional(qboRef),
    assetAccountId: optional(qboRef),
    active: z.boolean().default(true),
  })
  .superRefine((item, ctx) => {
    if (item.type !== 'inventory') {
      if (item.quantityOnHand !== undefined) ctx.addIssue({ code: 'custom', path: ['quantityOnHand'], message: 'is only for items of type "inventory"' });
      if (item.assetAccountId !== undefined) ctx.addIssue({ code: 'custom', path: ['assetAccountId'], message: 'is only for items of type "inventory"' });
      if (item.inventoryStartDate !== undefined) ctx.addIssue({ code: 'custom', path: ['inventoryStartDate'], message: 'is only for items of type "inventory"' });
    }
  });

export type ItemInput = z.input<typeof itemSchema>;
export type Item = z.output<typeof itemSchema>;
