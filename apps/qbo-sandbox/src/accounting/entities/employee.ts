// Employee: enough of it for the shared Customer/Vendor/Employee name space (6240).

import type { Body } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { applyPersonNaming } from '../person-rules.js';

const known = new Set([
  'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'DisplayName', 'PrintOnCheckName', 'Active',
  'PrimaryPhone', 'Mobile', 'PrimaryEmailAddr', 'PrimaryAddr', 'EmployeeNumber', 'SSN', 'BillableTime', 'BillRate',
  'CostRate', 'BirthDate', 'Gender', 'HiredDate', 'ReleasedDate', 'Organization', 'V4IDPseudonym', 'CompanyName',
]);

export const employeeDefinition: EntityDefinition = {
  name: 'Employee',
  kind: 'list',
  known,
  prepare(body, ctx, existing) {
    const out: Body = applyPersonNaming('Employee', body, ctx, existing);
    delete out.CompanyName;
    if (typeof out.SSN === 'string' && !out.SSN.startsWith('XXX')) out.SSN = `XXX-XX-${out.SSN.slice(-4)}`;
    if (out.BillableTime === undefined) out.BillableTime = false;
    return out;
  },
};
