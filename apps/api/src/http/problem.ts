// RFC 9457 problem details: every error the api answers is application/problem+json with a stable
// `type`, a human `title`, the HTTP `status` and a `detail` that names what was wrong.

import type { Response } from 'express';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

const TYPE_BASE = 'https://qbo-sync.dev/problems/';

export const problem = (slug: string, title: string, status: number, detail?: string, extensions: Record<string, unknown> = {}): Problem => ({
  type: `${TYPE_BASE}${slug}`,
  title,
  status,
  ...(detail === undefined ? {} : { detail }),
  ...extensions,
});

export const sendProblem = (res: Response, body: Problem): void => {
  res.status(body.status).type('application/problem+json').json(body);
};
