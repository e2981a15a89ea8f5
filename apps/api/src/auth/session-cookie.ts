// The session cookie: httpOnly (scripts never see it), SameSite=Lax (not sent on cross-site POSTs), Secure
// when the request came over TLS, scoped to the whole site because the app and the api share an origin.

import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'qbo_sync_session';

export const readCookie = (req: Request, name: string): string | undefined => {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
};

export const setSessionCookie = (req: Request, res: Response, token: string, expiresAt: Date): void => {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: expiresAt });
};

export const clearSessionCookie = (req: Request, res: Response): void => {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
};
