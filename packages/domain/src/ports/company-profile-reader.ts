// What a connect learns about the company it connects to (CompanyInfo and Preferences), read with the grant's
// new access token before anything is stored, so a company that cannot be read is never connected.

import type { CompanyProfile } from '../connection/connection-events.js';

/** The company could not be read; `detail` is safe to show (a QBO error kind and code, an intuit_tid). */
export class CompanyProfileUnreadableError extends Error {
  override readonly name = 'CompanyProfileUnreadableError';
  constructor(
    readonly reason: 'no_company_name' | 'call_failed',
    readonly detail: string | null = null,
  ) {
    super(reason === 'no_company_name' ? 'QuickBooks returned no company name' : `could not read the company's details from QuickBooks${detail === null ? '' : ` (${detail})`}`);
  }
}

export interface CompanyProfileReader {
  read(input: { readonly tenantId: string; readonly realmId: string; readonly accessToken: string }): Promise<CompanyProfile>;
}
