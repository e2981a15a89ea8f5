// The one way processes make their pino logger: JSON lines on stdout, the service's name on every line,
// and secrets redacted wherever a careless caller logs a config or a request.

import { type Logger, pino } from 'pino';

export interface LoggerOptions {
  readonly service: string;
  readonly level: string;
}

export const createLogger = (options: LoggerOptions): Logger =>
  pino({
    level: options.level,
    base: { service: options.service, pid: process.pid },
    redact: {
      paths: [
        '*.password',
        '*.DATABASE_URL',
        '*.EVENTSTORE_URL',
        '*.databaseUrl',
        '*.eventStoreUrl',
        'req.headers.authorization',
        'req.headers.cookie',
        '*.accessToken',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  });
