// The CompanyProfileReader port over the QBO client: CompanyInfo and Preferences, read with the access token
// a connect has just been granted (nothing is stored yet, so the client gets that token as is). Failures come
// out as CompanyProfileUnreadableError naming the QBO error kind, code and intuit_tid, never a body or a token.

import { type CompanyProfileReader, CompanyProfileUnreadableError } from '@qbo-sync/domain';
import { type AccessTokenSource, fixedAccessToken } from './access-token-source.js';
import type { QboClient } from './qbo-client.js';
import { QboError } from './qbo-error.js';

interface CompanyInfoBody {
  CompanyInfo?: { CompanyName?: unknown; Country?: unknown };
}
interface PreferencesBody {
  Preferences?: {
    CurrencyPrefs?: { MultiCurrencyEnabled?: unknown; HomeCurrency?: { value?: unknown } };
    SalesFormsPrefs?: { CustomTxnNumbers?: unknown };
  };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export const createQboHttpCompanyProfileReader = (clientOver: (tokens: AccessTokenSource) => QboClient): CompanyProfileReader => ({
  read: async ({ tenantId, realmId, accessToken }) => {
    const client = clientOver(fixedAccessToken({ accessToken, realmId }));
    let info: CompanyInfoBody;
    let prefs: PreferencesBody;
    try {
      info = await client.get<CompanyInfoBody>(tenantId, `/companyinfo/${encodeURIComponent(realmId)}`);
      prefs = await client.get<PreferencesBody>(tenantId, '/preferences');
    } catch (error) {
      const detail = error instanceof QboError ? `${error.kind} ${error.code}${error.intuitTid ? `, intuit_tid ${error.intuitTid}` : ''}` : null;
      throw new CompanyProfileUnreadableError('call_failed', detail);
    }
    const companyName = text(info.CompanyInfo?.CompanyName);
    if (companyName === null) throw new CompanyProfileUnreadableError('no_company_name');
    return {
      companyName,
      country: text(info.CompanyInfo?.Country),
      homeCurrency: text(prefs.Preferences?.CurrencyPrefs?.HomeCurrency?.value),
      multiCurrencyEnabled: prefs.Preferences?.CurrencyPrefs?.MultiCurrencyEnabled === true,
      customTransactionNumbers: prefs.Preferences?.SalesFormsPrefs?.CustomTxnNumbers === true,
    };
  },
});
