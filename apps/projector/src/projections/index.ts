// Every projection this process runs. Add new read models here.

import type { Projection } from '../projection.js';
import { activityLogProjection } from './activity-log-projection.js';
import { connectionStatusProjection } from './connection-status.js';
import { eventFeedProjection } from './event-feed.js';
import { recordsProjection } from './records.js';
import { syncRunsProjection } from './sync-runs.js';
import { syncSettingsProjection } from './sync-settings.js';

export const projections: readonly Projection[] = [
  activityLogProjection,
  connectionStatusProjection,
  eventFeedProjection,
  recordsProjection,
  syncRunsProjection,
  syncSettingsProjection,
];
