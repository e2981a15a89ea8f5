// A mapped QBO record goes through the canonical schema like the host's does, so both hash the same way;
// what the schema refuses becomes a typed mapping error naming the fields, not a crash.

import type { z } from 'zod';
import { QboMappingError } from './mapping-context.js';

export const parseCanonical = <S extends z.ZodType>(schema: S, entity: string, qboId: string, raw: Record<string, unknown>): z.output<S> => {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new QboMappingError(entity, qboId, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
};
