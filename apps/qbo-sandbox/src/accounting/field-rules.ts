// Field-level checks shared by the entities: required fields (2020), lengths (2050), unknown
// properties (2010), forbidden characters in names, enumerations (2170).

import { businessValidation, invalidEnumeration, requiredParam, stringLength, unsupportedProperty } from '../faults/fault-catalog.js';
import type { Body } from '../store/company.js';

/** System fields any client may send back unchanged; they are never taken from the request. */
export const SYSTEM_FIELDS = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status'] as const;

export const rejectUnknownProperties = (entity: string, body: Body, known: ReadonlySet<string>): void => {
  for (const key of Object.keys(body)) {
    if (!known.has(key) && !(SYSTEM_FIELDS as readonly string[]).includes(key)) throw unsupportedProperty(entity, key);
  }
};

export const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export const requireField = (body: Body, field: string, element = field): void => {
  if (isBlank(body[field])) throw requiredParam(element);
};

export const maxLength = (body: Body, field: string, max: number, element = field): void => {
  const v = body[field];
  if (typeof v === 'string' && v.length > max) throw stringLength(element, max, v.length);
};

export const noNameSeparators = (value: unknown, element: string): void => {
  if (typeof value === 'string' && /[:\t\n]/.test(value)) {
    throw businessValidation(`${element} cannot contain a colon (:), tab or newline.`, element);
  }
};

export const oneOf = (body: Body, field: string, allowed: readonly string[], element = field): void => {
  const v = body[field];
  if (v !== undefined && v !== null && !allowed.includes(String(v))) throw invalidEnumeration(element, String(v));
};

export const requireRefShape = (ref: unknown, element: string): string => {
  if (ref === null || typeof ref !== 'object' || isBlank((ref as Body).value)) throw requiredParam(element);
  return String((ref as Body).value);
};

export const isTrue = (v: unknown): boolean => v === true || v === 'true';
