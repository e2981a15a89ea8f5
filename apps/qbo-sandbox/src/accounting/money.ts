// Amounts are decimals with two places; sums are rounded to the cent like QBO's.

export const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;

export const toNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};
