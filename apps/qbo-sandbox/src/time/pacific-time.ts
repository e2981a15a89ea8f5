// QBO stamps every MetaData time and body "time" in US Pacific with an explicit offset
// (-07:00 / -08:00), whatever the company's own time zone. These helpers produce those strings.

const partsFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface PacificParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  offset: string;
}

const pacificParts = (at: Date): PacificParts => {
  const parts: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(at)) parts[p.type] = p.value;
  const localAsUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offsetMinutes = Math.round((localAsUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
    offset,
  };
};

/** MetaData style: seconds, Pacific offset, e.g. 2026-05-05T03:17:56-07:00 */
export const pacificSeconds = (at: Date): string => {
  const p = pacificParts(at);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${p.offset}`;
};

/** Body "time" style: milliseconds, Pacific offset, e.g. 2026-05-05T03:17:56.362-07:00 */
export const pacificMillis = (at: Date): string => {
  const p = pacificParts(at);
  const ms = String(at.getTime() % 1000 < 0 ? 0 : at.getTime() % 1000).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${ms}${p.offset}`;
};

/** The company's "today" (TxnDate default), taken in Pacific time like the rest of the stamps. */
export const pacificDate = (at: Date): string => {
  const p = pacificParts(at);
  return `${p.year}-${p.month}-${p.day}`;
};

export const addDays = (isoDate: string, days: number): string => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
