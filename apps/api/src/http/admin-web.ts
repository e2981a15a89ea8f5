// Serves the built admin web app (apps/admin-web/dist) when it exists: its files, and index.html for any
// other GET that asks for HTML, so the single-page app's own routes survive a reload.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type NextFunction, Router } from 'express';

export const adminWebRoutes = (distDir: string): Router | null => {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) return null;
  const router = Router();
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.locals.routeLabel = 'admin-web';
    next();
  });
  router.use(express.static(distDir, { index: 'index.html', fallthrough: true }));
  router.get('/{*path}', (req: Request, res: Response, next: NextFunction) => {
    // Browsers ask for text/html by name; api clients and curl (*/*) get the api's 404 instead.
    if (!(req.get('accept') ?? '').includes('text/html')) return next();
    res.sendFile(index);
  });
  return router;
};
