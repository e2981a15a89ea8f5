// All sandbox companies, by realm id. A new company comes with CompanyInfo, Preferences and a chart
// of accounts, stamped like any other record.

import { createRecord } from '../accounting/operations.js';
import { defaultCompanyInfo } from '../accounting/entities/company-info.js';
import { defaultPreferences } from '../accounting/entities/preferences.js';
import { createWriteContext } from '../accounting/write-context.js';
import { CHART_OF_ACCOUNTS } from '../seed/chart-of-accounts.js';
import { pacificDate, pacificSeconds } from '../time/pacific-time.js';
import type { Company, CompanySnapshot } from './company.js';
import { companyName, createCompany, recordsOf, restoreCompany, snapshotCompany } from './company.js';

export interface RealmRegistry {
  get(realmId: string): Company | undefined;
  list(): Company[];
  create(input: { realmId?: string; companyName: string }, now: Date): Company;
  remove(realmId: string): boolean;
  companies(): Array<{ realmId: string; companyName: string }>;
  snapshot(): CompanySnapshot[];
  restore(snapshots: CompanySnapshot[]): void;
  clear(): void;
}

const REALM_BASE = 9341455000000000n;

export const createRealmRegistry = (): RealmRegistry => {
  const realms = new Map<string, Company>();
  let counter = 0;

  const nextRealmId = () => {
    let id: string;
    do {
      counter += 1;
      id = String(REALM_BASE + BigInt(counter));
    } while (realms.has(id));
    return id;
  };

  return {
    get: (realmId) => realms.get(realmId),
    list: () => [...realms.values()],
    create({ realmId, companyName: name }, now) {
      const id = realmId ?? nextRealmId();
      if (realms.has(id)) throw new Error(`A sandbox company with realmId ${id} already exists`);
      if (!/^\d{1,20}$/.test(id)) throw new Error(`realmId must be digits only (got "${id}")`);
      const company = createCompany(id);
      const stamp = pacificSeconds(now);
      const at = now.getTime();
      const singleton = (body: Record<string, unknown>) => ({
        object: { ...body, domain: 'QBO', sparse: false, Id: '1', SyncToken: '0', MetaData: { CreateTime: stamp, LastUpdatedTime: stamp } },
        createdAt: at,
        updatedAt: at,
      });
      recordsOf(company, 'CompanyInfo').set('1', singleton(defaultCompanyInfo(name, pacificDate(now))));
      recordsOf(company, 'Preferences').set('1', singleton(defaultPreferences(name)));
      const ctx = createWriteContext(company, now);
      for (const account of CHART_OF_ACCOUNTS) createRecord(ctx, 'Account', account);
      realms.set(id, company);
      return company;
    },
    remove: (realmId) => realms.delete(realmId),
    companies: () => [...realms.values()].map((c) => ({ realmId: c.realmId, companyName: companyName(c) })),
    snapshot: () => [...realms.values()].map(snapshotCompany),
    restore(snapshots) {
      realms.clear();
      for (const s of snapshots) realms.set(s.realmId, restoreCompany(s));
    },
    clear: () => realms.clear(),
  };
};
