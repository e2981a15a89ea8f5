// The small HTML pages a person lands on from Intuit: after the consent screen (the company that was connected,
// that it already was, or what went wrong and how to try again), and after disconnecting the app in QuickBooks
// or being asked there to reconnect (where to reconnect). Everything interpolated is escaped.

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}h1{font-size:1.4rem}.error{color:#a01818}a.button{display:inline-block;margin-top:1rem;padding:.5rem 1rem;border:1px solid #444;border-radius:4px;text-decoration:none;color:inherit}</style>
</head><body>${body}</body></html>`;

export const connectedPage = (companyName: string, realmId: string, adminUrl: string): string =>
  page(
    'QuickBooks connected',
    `<h1>Connected to ${escape(companyName)}</h1><p>QuickBooks company ${escape(realmId)} is now connected. You can close this page.</p><a class="button" href="${escape(adminUrl)}">Back to qbo-sync</a>`,
  );

export const failedPage = (message: string, retryUrl: string | null, confirmUrl: string | null): string =>
  page(
    'QuickBooks connection failed',
    `<h1 class="error">The QuickBooks connection was not made</h1><p>${escape(message)}</p>${
      confirmUrl === null ? '' : `<a class="button" href="${escape(confirmUrl)}">Connect the other company anyway</a> `
    }${retryUrl === null ? '' : `<a class="button" href="${escape(retryUrl)}">Start again</a>`}`,
  );

export const alreadyConnectedPage = (companyName: string, realmId: string, adminUrl: string): string =>
  page(
    'QuickBooks already connected',
    `<h1>Already connected to ${escape(companyName)}</h1><p>QuickBooks company ${escape(realmId)} was connected with this link already; there is nothing more to do. You can close this page.</p><a class="button" href="${escape(adminUrl)}">Back to qbo-sync</a>`,
  );

export const disconnectedPage = (adminUrl: string): string =>
  page(
    'QuickBooks disconnected',
    `<h1>QuickBooks was disconnected from qbo-sync</h1><p>qbo-sync no longer syncs with this QuickBooks company. Your records and history in qbo-sync are kept.</p><p>To connect again, an admin opens the tenant in qbo-sync and chooses <strong>Reconnect</strong> on its QuickBooks connection.</p><a class="button" href="${escape(adminUrl)}">Open qbo-sync to reconnect</a>`,
  );

export const reconnectPage = (adminUrl: string): string =>
  page(
    'Reconnect QuickBooks',
    `<h1>Reconnect QuickBooks to qbo-sync</h1><p>An admin opens the tenant in qbo-sync and chooses <strong>Reconnect</strong> on its QuickBooks connection; QuickBooks then asks to approve the connection again. Records and history in qbo-sync are kept, and the same tenant carries on.</p><a class="button" href="${escape(adminUrl)}">Open qbo-sync to reconnect</a>`,
  );
