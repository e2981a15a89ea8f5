// The sandbox's stand-in for Intuit's "Connect to QuickBooks" consent screen: a plain HTML form that
// lists the sandbox companies, plus the error page shown when a request is too broken to redirect.

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}
fieldset{border:1px solid #ccc;border-radius:6px;padding:1rem}label{display:block;margin:.4rem 0}
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}.muted{color:#666;font-size:.9rem}</style></head>
<body>${body}</body></html>`;

export const renderConsentPage = (input: {
  requestId: string;
  clientId: string;
  scopes: readonly string[];
  /** Empty when the scopes ask for no company (sign-in only). */
  companies: ReadonlyArray<{ realmId: string; companyName: string }>;
  needsCompany: boolean;
  preselectedRealmId?: string;
}) => {
  const scopeList = input.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  const companyChoice = !input.needsCompany
    ? ''
    : input.companies.length === 0
      ? '<p><strong>No sandbox company exists yet.</strong> Seed one through the sandbox controls, or cancel.</p>'
      : `<fieldset><legend>Choose a company</legend>${input.companies
          .map((c) => {
            const checked = c.realmId === (input.preselectedRealmId ?? input.companies[0]?.realmId);
            return `<label><input type="radio" name="realmId" value="${escapeHtml(c.realmId)}"${checked ? ' checked' : ''}> ${escapeHtml(c.companyName)} <span class="muted">(${escapeHtml(c.realmId)})</span></label>`;
          })
          .join('')}</fieldset>`;
  const canApprove = !input.needsCompany || input.companies.length > 0;
  return layout(
    'Connect to QuickBooks (sandbox)',
    `<h1>Connect to QuickBooks</h1>
<p>The app <strong>${escapeHtml(input.clientId)}</strong> asks for access to:</p><ul>${scopeList}</ul>
<form method="post" action="/connect/oauth2">
<input type="hidden" name="request_id" value="${escapeHtml(input.requestId)}">
${companyChoice}
${canApprove ? '<button type="submit" name="decision" value="approve">Connect</button>' : ''}
<button type="submit" name="decision" value="deny">Cancel</button>
</form>
<p class="muted">QBO sandbox emulator. Nothing here talks to Intuit.</p>`,
  );
};

export const renderErrorPage = (message: string) =>
  layout('Authorization error (sandbox)', `<h1>Authorization error</h1><p>${escapeHtml(message)}</p>`);
