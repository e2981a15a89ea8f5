// Where a tenant's connection events live.

import { streamName } from '../event-store/stream-name.js';
import { CONNECTION_CATEGORY } from './connection-events.js';

export const connectionStreamName = (tenantId: string): string => streamName(CONNECTION_CATEGORY, tenantId);
