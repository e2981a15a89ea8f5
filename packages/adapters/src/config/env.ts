// Reads process settings from environment variables through zod. Each app declares its own schema from
// these pieces; parseEnv turns zod's issues into one ConfigurationError naming every bad variable.

import { z } from 'zod';
import { ConfigurationError } from './configuration-error.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** An empty string counts as unset, as shells and .env files often leave `NAME=` behind. */
const unsetIfEmpty = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const optional = <Schema extends z.ZodType>(schema: Schema) => z.preprocess(unsetIfEmpty, schema.optional());

export const withDefault = <Schema extends z.ZodType>(schema: Schema, fallback: z.output<Schema>) =>
  z.preprocess(unsetIfEmpty, schema.default(fallback as never));

/** parseEnv reports a required variable that is unset as "is required". */
export const required = <Schema extends z.ZodType>(schema: Schema) => z.preprocess(unsetIfEmpty, schema);

export const text = z.string().min(1, 'must not be empty');

export const booleanFlag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

export const portNumber = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export const postgresUrl = z
  .string()
  .refine((value) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// URL');

export const httpUrl = z
  .string()
  .refine((value) => {
    try {
      return ['http:', 'https:', 'esdb:', 'esdb+discover:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be a URL');

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logLevel = z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` });

export const eventStoreKinds = ['postgres', 'eventstoredb'] as const;
export const eventStoreKind = z.enum(eventStoreKinds, { error: `must be one of ${eventStoreKinds.join(', ')}` });

export const positiveInteger = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be above 0');

/** Variables whose values must never be echoed back in an error message. */
const secretLooking = /URL|SECRET|KEY|TOKEN|PASSWORD/i;

export const parseEnv = <Shape extends z.ZodRawShape>(shape: Shape, env: Env): z.output<z.ZodObject<Shape>> => {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') return { variable, message: 'is required' };
    const shown = raw === undefined || raw === '' || secretLooking.test(variable) ? '' : ` (got "${raw}")`;
    return { variable, message: `${issue.message}${shown}` };
  });
  throw new ConfigurationError(problems);
};
