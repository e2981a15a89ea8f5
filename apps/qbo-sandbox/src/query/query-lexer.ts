// Tokenizer for QBO's SQL-like query language. Strict like Intuit's: only ASCII quotes delimit
// strings (curly quotes and en dashes are lexical errors), \' escapes a quote, a trailing
// backslash leaves the string unterminated.

import { queryParseError } from '../faults/fault-catalog.js';

export type TokenKind = 'keyword' | 'identifier' | 'string' | 'number' | 'punct' | 'operator' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Keywords upper-cased; strings unescaped; others as written. */
  value: string;
  text: string;
  column: number;
}

const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'ORDERBY', 'ORDER', 'BY', 'ASC', 'DESC', 'STARTPOSITION', 'MAXRESULTS',
  'IN', 'LIKE', 'COUNT', 'TRUE', 'FALSE', 'NULL', 'ITERATOR',
]);

const lexicalError = (ch: string, column: number, after: string) =>
  queryParseError(
    `Lexical error at line 1, column ${column}.  Encountered: "${ch}" (${ch.codePointAt(0)}), after : "${after}"`,
  );

export const tokenize = (input: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < input.length) {
        const c = input[j]!;
        if (c === '\\') {
          if (j + 1 >= input.length) break;
          value += input[j + 1];
          j += 2;
          continue;
        }
        if (c === "'") {
          closed = true;
          break;
        }
        if (c === '\u2018' || c === '\u2019' || c === '\u201c' || c === '\u201d' || c === '\u2013') {
          throw lexicalError(c, j + 1, value);
        }
        value += c;
        j++;
      }
      if (!closed) throw queryParseError(`Lexical error at line 1, column ${input.length + 1}.  Encountered: <EOF> after : "'${value}"`);
      tokens.push({ kind: 'string', value, text: input.slice(i, j + 1), column });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      tokens.push({ kind: 'number', value: m[0], text: m[0], column });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(input.slice(i))!;
      const upper = m[0].toUpperCase();
      tokens.push({ kind: KEYWORDS.has(upper) ? 'keyword' : 'identifier', value: KEYWORDS.has(upper) ? upper : m[0], text: m[0], column });
      i += m[0].length;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '!=' || two === '<>') {
      tokens.push({ kind: 'operator', value: two, text: two, column });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'operator', value: ch, text: ch, column });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === '*') {
      tokens.push({ kind: 'punct', value: ch, text: ch, column });
      i++;
      continue;
    }
    throw lexicalError(ch, column, input.slice(Math.max(0, i - 20), i));
  }
  tokens.push({ kind: 'eof', value: '<EOF>', text: '', column: input.length + 1 });
  return tokens;
};
