// When an event happened, as auditors read it: the time its command carried (`data.at`, every domain event
// has one, given by the caller because the domain reads no clock), else when the store wrote it. The feed's
// time filters, a record's history and the record as of a past time all use this one rule.

interface Timed {
  readonly data: unknown;
  readonly recordedAt: Date;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export const occurredAt = (event: Timed): Date => {
  const at = (event.data as { at?: unknown } | null)?.at;
  if (typeof at === 'string' && ISO_INSTANT.test(at)) {
    const parsed = new Date(at);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  return event.recordedAt;
};
