// The typed taxonomy of QBO failures: every fault QuickBooks returns (JSON `Fault`, the lower-case 401
// `fault`, or XML) becomes one QboError with a kind callers can switch on, QBO's own code, and a hint at
// the fix an admin can act on. Messages carry QBO's text and intuit_tid, never a token.

export type QboErrorKind =
  | 'auth'
  | 'throttle'
  | 'stale_object'
  | 'duplicate_name'
  | 'duplicate_document_number'
  | 'not_found'
  | 'validation'
  | 'business_rule'
  | 'server';

export interface QboFaultDetail {
  readonly code: string;
  readonly message: string;
  readonly detail: string;
  readonly element: string | null;
}

export interface QboFault {
  readonly type: string;
  readonly errors: readonly QboFaultDetail[];
}

const FIX_HINTS: Record<QboErrorKind, string> = {
  auth: 'QuickBooks refused the credentials: if a token refresh does not cure it, reconnect the company from the connection page',
  throttle: 'QuickBooks throttled this company (500 requests a minute, 10 at once, 40 batches a minute); the call is retried when the realm\'s window frees (at most a minute)',
  stale_object: 'the record changed in QuickBooks since it was read (SyncToken mismatch): re-read it and apply the change again',
  duplicate_name: 'another customer, vendor or employee already uses this name in QuickBooks: rename one, or link the local record to the existing one',
  duplicate_document_number: 'this document number is already used in QuickBooks: change the number, or turn off duplicate checks in QuickBooks preferences',
  not_found: 'the referenced QuickBooks record does not exist or is inactive: reactivate it in QuickBooks or fix the reference',
  validation: 'QuickBooks rejected the request as invalid: fix the field named in the detail',
  business_rule: 'QuickBooks refused the change by one of its business rules: see the detail, fix the data or the company settings in QuickBooks',
  server: 'QuickBooks had a server or network problem; the call is retried with backoff',
};

const classify = (status: number, code: string): QboErrorKind => {
  const numeric = Number(code);
  if (code === '3200' || code === '3100' || code === '120' || status === 401) return 'auth';
  if (code === '3001' || code === '003001' || status === 429) return 'throttle';
  if (code === '5010') return 'stale_object';
  if (code === '6240') return 'duplicate_name';
  if (code === '6140') return 'duplicate_document_number';
  if (code === '610' || status === 404) return 'not_found';
  if (status >= 500 || numeric >= 10000) return 'server';
  if (status === 403) return 'auth';
  if (numeric >= 2000 && numeric < 5000) return 'validation';
  if (numeric >= 5000 && numeric < 10000) return 'business_rule';
  if (numeric >= 500 && numeric < 2000) return 'business_rule';
  return 'validation';
};

export class QboError extends Error {
  override readonly name = 'QboError';
  readonly kind: QboErrorKind;
  readonly fixHint: string;
  constructor(
    readonly status: number,
    /** QBO's error code ("6240"), or "network" when no answer came. */
    readonly code: string,
    readonly fault: QboFault | null,
    readonly intuitTid: string | null,
    readonly realmId: string,
    kind?: QboErrorKind,
  ) {
    const first = fault?.errors[0];
    const resolvedKind = kind ?? classify(status, code);
    super(
      `QuickBooks ${resolvedKind} error ${code}${first ? `: ${first.message}${first.detail ? ` (${first.detail})` : ''}` : ''} [HTTP ${status}, realm ${realmId}${intuitTid ? `, intuit_tid ${intuitTid}` : ''}]`,
    );
    this.kind = resolvedKind;
    this.fixHint = FIX_HINTS[resolvedKind];
  }

  get retriable(): boolean {
    return this.kind === 'throttle' || this.kind === 'server';
  }

  /** What can be shown and stored: no token ever appears here. */
  toJSON() {
    return { kind: this.kind, status: this.status, code: this.code, message: this.message, fixHint: this.fixHint, intuitTid: this.intuitTid, realmId: this.realmId };
  }
}

const str = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));

const fromJsonFault = (raw: unknown): QboFault | null => {
  if (raw === null || typeof raw !== 'object') return null;
  const record = raw as Record<string, unknown>;
  const fault = (record.Fault ?? record.fault) as Record<string, unknown> | undefined;
  if (fault === undefined || fault === null || typeof fault !== 'object') return null;
  const errors = (fault.Error ?? fault.error) as unknown;
  if (!Array.isArray(errors)) return null;
  return {
    type: str(fault.type),
    errors: errors.map((error: Record<string, unknown>) => ({
      code: str(error.code),
      message: str(error.Message ?? error.message),
      detail: str(error.Detail ?? error.detail),
      element: error.element === null || error.element === undefined || error.element === '' ? null : str(error.element),
    })),
  };
};

const xmlText = (xml: string, tag: string): string => {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return (match?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&').trim();
};

const fromXmlFault = (xml: string): QboFault | null => {
  const fault = /<Fault(?:\s+type="([^"]*)")?[^>]*>([\s\S]*?)<\/Fault>/.exec(xml);
  if (fault === null) return null;
  const errors = [...(fault[2] ?? '').matchAll(/<Error(?:\s+code="([^"]*)")?[^>]*>([\s\S]*?)<\/Error>/g)].map((match) => ({
    code: match[1] ?? '',
    message: xmlText(match[2] ?? '', 'Message'),
    detail: xmlText(match[2] ?? '', 'Detail'),
    element: null,
  }));
  return { type: fault[1] ?? '', errors };
};

/** Reads a fault from a response body of any of QBO's three shapes, or null when there is none. */
export const parseFault = (body: unknown): QboFault | null => {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed.startsWith('<')) return fromXmlFault(trimmed);
    try {
      return fromJsonFault(JSON.parse(trimmed));
    } catch {
      return null;
    }
  }
  return fromJsonFault(body);
};

export const qboErrorFrom = (status: number, body: unknown, intuitTid: string | null, realmId: string): QboError => {
  const fault = parseFault(body);
  // The gateway writes 003001 for a throttle; normalise to QBO's code.
  const code = (fault?.errors[0]?.code ?? String(status)).replace(/^0+(?=\d{4}$)/, '');
  return new QboError(status, code, fault, intuitTid, realmId);
};
