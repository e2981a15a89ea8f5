// Security headers on every answer, the admin app's pages and the api's JSON alike, set by helmet (a
// well-kept library, rather than headers of our own): a Content-Security-Policy that lets the admin app load
// only its own scripts and never be framed (frame-ancestors 'none'), nosniff, no referrer, and helmet's
// other defaults (HSTS, COOP, CORP …). Styles may be inline: Mantine and the OAuth callback page write
// style attributes and tags; scripts may not.

import type { RequestHandler } from 'express';
import helmet from 'helmet';

export const securityHeaders = (): RequestHandler =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
