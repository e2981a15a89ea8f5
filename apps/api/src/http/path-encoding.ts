// Refuses a path whose percent-encoding cannot be decoded (`%E0%A4%A`, `%zz`, a lone `%`), before access
// control reads it: otherwise the path matches no route and the gate would answer a misleading 403 or 404.
// The answer names the bad segment, cut short and with its bytes escaped, so nothing hostile is echoed.

import type { RequestHandler } from 'express';
import { problem, sendProblem } from './problem.js';

const badSegment = (path: string): { readonly index: number; readonly segment: string } | null => {
  const segments = path.split('/');
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as string;
    try {
      decodeURIComponent(segment);
    } catch {
      return { index, segment };
    }
  }
  return null;
};

export const rejectBadPathEncoding = (): RequestHandler => (req, res, next) => {
  const bad = badSegment(req.path);
  if (bad === null) return next();
  res.locals.routeLabel = 'bad-path';
  const shown = JSON.stringify(bad.segment.slice(0, 60)) + (bad.segment.length > 60 ? '…' : '');
  sendProblem(res, problem('bad-path-encoding', 'Bad path encoding', 400, `path: segment ${bad.index} (${shown}) is not valid percent-encoding (UTF-8 bytes as %XX)`, { field: 'path' }));
};
