// The entity inside a recorded QBO payload, e.g. `{"Customer": {...}, "time": ...}`, read through the one
// fixtures helper (tests/support/qbo-fixtures.ts): QBO_FIXTURES_DIR, skipped with a reason when absent.

import { qboFixture } from '../../../../../tests/support/qbo-fixtures.js';
import type { QboObject } from '../../../src/qbo-http/mappers/index.js';

export { itWithFixtures } from '../../../../../tests/support/qbo-fixtures.js';

export const fixtureEntity = (file: string, entity: string): QboObject =>
  (qboFixture(file) as Record<string, QboObject>)[entity] as QboObject;
