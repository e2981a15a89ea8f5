// Naming rules Customer, Vendor and Employee share: DisplayName (or one built from the name parts),
// lengths, forbidden characters, the shared 6240 name space, e-mail shape, and deactivation
// (" (deleted)" suffix; refused while the record has an open balance).

import { businessValidation, nameMissing } from '../faults/fault-catalog.js';
import type { Body, QboObject } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import { isBlank, maxLength, noNameSeparators } from './field-rules.js';
import { assertDisplayNameFree, withDeletedSuffix, withoutDeletedSuffix } from './name-uniqueness.js';
import type { WriteContext } from './write-context.js';

const PARTS = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'] as const;

export const HOME_CURRENCY = { value: 'USD', name: 'United States Dollar' };

export const applyPersonNaming = (entity: EntityName, body: Body, ctx: WriteContext, existing: QboObject | undefined): Body => {
  const out: Body = { ...body };
  maxLength(out, 'Title', 16);
  maxLength(out, 'GivenName', 100);
  maxLength(out, 'MiddleName', 100);
  maxLength(out, 'FamilyName', 100);
  maxLength(out, 'Suffix', 16);
  maxLength(out, 'CompanyName', 100);
  maxLength(out, 'PrintOnCheckName', 110);
  maxLength(out, 'Notes', 2000);
  for (const p of PARTS) noNameSeparators(out[p], p);

  const active = out.Active === undefined || out.Active === null ? (existing ? existing.Active !== false : true) : out.Active !== false && out.Active !== 'false';
  let display = typeof out.DisplayName === 'string' ? out.DisplayName.trim() : '';
  if (display === '') {
    display = PARTS.map((p) => (typeof out[p] === 'string' ? out[p].trim() : ''))
      .filter((s) => s !== '')
      .join(' ');
  }
  if (display === '') throw nameMissing();
  display = withoutDeletedSuffix(display);
  maxLength({ DisplayName: display }, 'DisplayName', 500);
  noNameSeparators(display, 'DisplayName');

  const email = out.PrimaryEmailAddr?.Address;
  if (!isBlank(email) && !(typeof email === 'string' && email.includes('@') && email.includes('.'))) {
    throw businessValidation('Invalid Email Address format: PrimaryEmailAddr.Address must contain "@" and ".".', 'PrimaryEmailAddr.Address');
  }

  if (active) {
    assertDisplayNameFree(ctx, { entity, id: existing?.Id }, display);
  } else if (existing && existing.Active !== false && Number(existing.Balance ?? 0) !== 0) {
    throw businessValidation(`Delete List Has Balance Error : You can't make ${existing.DisplayName} inactive because it has an open balance.`, 'Active');
  }

  out.DisplayName = active ? display : withDeletedSuffix(display);
  out.Active = active;
  if (isBlank(out.PrintOnCheckName)) out.PrintOnCheckName = (out.CompanyName as string | undefined) ?? display;
  return out;
};

/** CurrencyRef is chosen at create and cannot change afterwards. */
export const currencySetOnce = (body: Body, existing: QboObject | undefined): Body => {
  const requested = body.CurrencyRef?.value as string | undefined;
  if (existing) {
    const current = existing.CurrencyRef as Body | undefined;
    if (requested && current && requested !== current.value) {
      throw businessValidation('CurrencyRef cannot be changed after the record is created.', 'CurrencyRef');
    }
    return current ?? HOME_CURRENCY;
  }
  if (requested && requested !== HOME_CURRENCY.value) return { value: requested, name: requested };
  return HOME_CURRENCY;
};
