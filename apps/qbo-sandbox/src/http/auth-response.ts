// Turns a failed bearer-token check into Intuit's answers: the lower-case 401 with www-authenticate,
// or 403 ApplicationAuthorizationFailed (3100) for a token of another company.

import type { Response } from 'express';
import { WWW_AUTHENTICATE, authenticationFailedBody } from '../faults/auth-fault.js';
import { applicationAuthorizationFailed } from '../faults/fault-catalog.js';
import { pacificMillis } from '../time/pacific-time.js';

export type TokenFailure = 'missing' | 'malformed' | 'expired' | 'invalid' | 'wrong_realm';

/** Token prefix as Intuit echoes it ("Token expired: AB0…"), never the whole token. */
const prefix = (token: string) => token.slice(0, 3);

export const sendAuthFailure = (res: Response, reason: TokenFailure, token: string, now: Date): { status: number; code: string } => {
  if (reason === 'wrong_realm') {
    const fault = applicationAuthorizationFailed();
    res.status(403).json({ Fault: fault.toFault(), time: pacificMillis(now) });
    return { status: 403, code: '3100' };
  }
  const detail =
    reason === 'missing' || reason === 'malformed'
      ? 'Malformed bearer token: too short or too long'
      : reason === 'expired'
        ? `Token expired: ${prefix(token)}`
        : 'Token invalid';
  res.setHeader('www-authenticate', WWW_AUTHENTICATE);
  res.status(401).json(authenticationFailedBody(detail, now));
  return { status: 401, code: '3200' };
};
