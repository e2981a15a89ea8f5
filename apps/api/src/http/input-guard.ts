// One check of every request's parsed input (JSON body and query string) before any route sees it, for what
// no route schema should have to repeat and what PostgreSQL would otherwise refuse with a 500 after part of a
// request was written: text holding a NUL character or a lone UTF-16 surrogate (neither can be stored in
// jsonb or text), in a value or in a key, and JSON nested deeper than any record is. The answer is a 400
// naming the field by its path (`records.3.record.lines.0.itemLocalId`), so nothing is half-written.

import type { RequestHandler } from 'express';
import { problem, sendProblem } from './problem.js';

/** Deeper than any record (an invoice line's address is 4 levels inside a bulk request). */
export const MAX_JSON_DEPTH = 32;

interface Finding {
  readonly field: string;
  readonly message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const textProblem = (text: string): string | null => {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text: it holds a lone UTF-16 surrogate';
  return null;
};

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${String(key)}`);

/** The first bad value in a parsed JSON document, walked without recursion so depth cannot overflow the stack. */
export const findBadInput = (root: unknown, rootPath: string): Finding | null => {
  const stack: Array<{ readonly value: unknown; readonly path: string; readonly depth: number }> = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      const message = textProblem(value);
      if (message !== null) return { field: path || 'body', message };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { field: path || 'body', message: `is nested more than ${MAX_JSON_DEPTH} levels deep` };
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) stack.push({ value: value[index], path: join(path, index), depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value);
    for (const [key] of entries) {
      const message = textProblem(key);
      // The key itself cannot be echoed safely: name where it sits.
      if (message !== null) return { field: path || 'body', message: `has a key that ${message}` };
    }
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, child] = entries[index] as [string, unknown];
      stack.push({ value: child, path: join(path, key), depth: depth + 1 });
    }
  }
  return null;
};

export const inputGuard = (): RequestHandler => (req, res, next) => {
  const finding = findBadInput(req.query, '') ?? (req.body === undefined ? null : findBadInput(req.body, ''));
  if (finding === null) return next();
  sendProblem(res, problem('invalid-input', 'Invalid input', 400, `${finding.field}: ${finding.message}`, { field: finding.field, errors: [finding] }));
};
