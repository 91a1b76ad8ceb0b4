import type { RoleId } from '../access/permissions.ts';
import type { Harness } from './harness.ts';

/**
 * An object of tenant B for one id-taking route: `url` is the route with B's ids filled in
 * (or `id` for a route with a single `:id`); `unchanged` proves nothing was written.
 */
export interface IsolationFixture {
  id?: string;
  url?: string;
  payload?: unknown;
  unchanged?: () => Promise<void>;
  /** Who in tenant A calls the route (default: its platform administrator), for permissions that role lacks. */
  as?: RoleId;
}
/** Each module's `<m>.isolation.ts` exports `isolationFixtures(h)` for its own routes. */
export type IsolationFixtures = (h: Harness) => Promise<Record<string, IsolationFixture>>;
