// Parses the datetimes clients send in queries and CDC: with an offset as given, without one as
// US Pacific wall time (the time zone QBO reports in); a bare date is Pacific midnight.

const pacificOffsetMinutes = (at: number): number => {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', timeZoneName: 'shortOffset' });
  const name = f.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-8';
  const m = /GMT([+-]\d+)(?::(\d+))?/.exec(name);
  if (!m) return -480;
  const h = Number(m[1]);
  return h * 60 + Math.sign(h) * Number(m[2] ?? 0);
};

export const parseWhenInPacific = (text: string): number | undefined => {
  const s = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) && s.length > 10;
  if (hasOffset) {
    // Offsets like -0700 (without colon) appear in webhook payloads; accept them here too.
    const normalised = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const t = Date.parse(normalised);
    return Number.isNaN(t) ? undefined : t;
  }
  const local = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : `${s}Z`);
  if (Number.isNaN(local)) return undefined;
  const offset = pacificOffsetMinutes(local);
  return local - offset * 60_000;
};
