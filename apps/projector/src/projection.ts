// What a projection is: a name, which events it wants, and how it folds a batch of them into rows.
// The runner calls apply inside the transaction that also saves the checkpoint, so rows and checkpoint
// commit together. apply must be an upsert: delivery is at least once.

import type { RecordedEvent, SubscriptionFilter } from '@qbo-sync/domain';
import type { Transaction } from 'kysely';
import type { ReadModels } from './read-models.js';

export interface Projection {
  /** Unique and stable: it keys the checkpoint row and the advisory lock. */
  readonly name: string;
  readonly filter?: SubscriptionFilter;
  apply(trx: Transaction<ReadModels>, events: readonly RecordedEvent[]): Promise<void>;
  /** Deletes every row this projection owns, for a rebuild from zero. */
  reset(trx: Transaction<ReadModels>): Promise<void>;
}
