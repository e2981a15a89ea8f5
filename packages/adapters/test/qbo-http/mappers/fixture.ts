// The shared QBO payload fixtures sit beside the repository (../shared/qbo/fixtures); QBO_FIXTURES_DIR overrides.

import { readFileSync } from 'node:fs';
import type { QboObject } from '../../../src/qbo-http/mappers/index.js';

const dir = process.env['QBO_FIXTURES_DIR'] ?? new URL('../../../../../../shared/qbo/fixtures/', import.meta.url).pathname;

/** The entity inside a fixture's wrapper, e.g. `{"Customer": {...}, "time": ...}`. */
export const fixtureEntity = (file: string, entity: string): QboObject =>
  (JSON.parse(readFileSync(`${dir.endsWith('/') ? dir : `${dir}/`}${file}`, 'utf8')) as Record<string, QboObject>)[entity] as QboObject;
