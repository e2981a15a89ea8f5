// What the connection's use cases need from the world, by capability: the log, the token vault, Intuit's
// OAuth, the connect links in progress, the company's profile over QBO, the single-flight refresher, the
// status read model, a clock and a logger. Each use case names the part it uses (Pick), so a spec fakes only
// that. The composition roots fill it with the Postgres, intuit-oauth and qbo-http adapters.

import type {
  CompanyProfileReader,
  ConnectionStatusReader,
  EventStore,
  OAuthAuthorizer,
  OAuthStates,
  TokenRefreshPolicy,
  TokenRefresher,
  TokenVault,
} from '@qbo-sync/domain';
import type { Logger } from '../shared/logger.js';

export interface ConnectionDeps {
  readonly eventStore: EventStore;
  readonly vault: TokenVault;
  readonly oauth: OAuthAuthorizer;
  readonly states: OAuthStates;
  readonly company: CompanyProfileReader;
  readonly tokenRefresher: TokenRefresher;
  readonly status: ConnectionStatusReader;
  readonly logger: Logger;
  readonly now: () => Date;
  /** When tokens are due; the domain's default unless a spec shortens it. */
  readonly refreshPolicy?: TokenRefreshPolicy;
}
