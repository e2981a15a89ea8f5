// Every route an Express app answers, read from its router stack (nested routers included): what the fuzz
// test sends hostile input to and what the OpenAPI document must cover, so neither keeps its own list.

import type express from 'express';

export interface MountedRoute {
  readonly method: string;
  /** Express's pattern, e.g. `/v1/tenants/:tenant/records/:type`. */
  readonly path: string;
}

interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

export const mountedRoutes = (app: express.Express): MountedRoute[] => {
  const found: MountedRoute[] = [];
  const walk = (stack: readonly Layer[]): void => {
    for (const layer of stack) {
      if (layer.route !== undefined) {
        for (const method of Object.keys(layer.route.methods)) found.push({ method: method.toUpperCase(), path: layer.route.path });
      } else if (layer.handle?.stack !== undefined) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: readonly Layer[] } }).router.stack);
  return found;
};
