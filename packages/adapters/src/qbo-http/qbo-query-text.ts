// Writing values into QBO's query language safely. QBO's lexer takes `\'` for a quote but breaks on
// curly quotes, en dashes and a trailing backslash, so a lookup by a hostile name queries with LIKE,
// every risky character replaced by the `%` wildcard, and the caller keeps only exact matches.

/** Characters that pass QBO's lexer unharmed inside a quoted string. */
const SAFE = /^[\p{L}\p{N} .,&@#()+/:;!?*=<>[\]{}|~^$_-]$/u;

/** A quoted literal for `=`; null when the value holds something QBO's lexer cannot take. */
export const exactLiteral = (value: string): string | null => {
  let out = '';
  for (const char of value) {
    if (char === "'") out += "\\'";
    else if (SAFE.test(char)) out += char;
    else return null;
  }
  return `'${out}'`;
};

/** A LIKE pattern that matches at least every string equal to the value (case-insensitively). */
export const likePattern = (value: string): string => {
  let out = '';
  for (const char of value) {
    if (char === "'") out += "\\'";
    else if (char === '%' || !SAFE.test(char)) out += '%';
    else out += char;
  }
  return `'${out.replace(/%+/g, '%')}'`;
};

/** `field = 'value'` when that is safe, else `field LIKE 'pattern'` (filter the answer exactly). */
export const matchCondition = (field: string, value: string): { readonly condition: string; readonly exact: boolean } => {
  const literal = exactLiteral(value);
  return literal === null ? { condition: `${field} LIKE ${likePattern(value)}`, exact: false } : { condition: `${field} = ${literal}`, exact: true };
};
