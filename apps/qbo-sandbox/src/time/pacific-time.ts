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

const offsetText = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

const offsetMinutesAt = (at: number): number => {
  const parts: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(new Date(at))) parts[p.type] = p.value;
  const localAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((localAsUtc - Math.floor(at / 1000) * 1000) / 60_000);
};

// Pacific offsets only change on the hour, so one Intl call per hour is enough (every response
// carries a "time", and Intl is the slow part of formatting it).
let cachedHour = Number.NaN;
let cachedOffset = 0;
const offsetMinutes = (at: number): number => {
  const hour = Math.floor(at / 3_600_000);
  if (hour !== cachedHour) {
    cachedOffset = offsetMinutesAt(at);
    cachedHour = hour;
  }
  return cachedOffset;
};

const pacificParts = (at: Date): PacificParts & { ms: string } => {
  const t = at.getTime();
  const offset = offsetMinutes(t);
  const iso = new Date(t + offset * 60_000).toISOString();
  return {
    year: iso.slice(0, 4),
    month: iso.slice(5, 7),
    day: iso.slice(8, 10),
    hour: iso.slice(11, 13),
    minute: iso.slice(14, 16),
    second: iso.slice(17, 19),
    ms: iso.slice(20, 23),
    offset: offsetText(offset),
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
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${p.ms}${p.offset}`;
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
