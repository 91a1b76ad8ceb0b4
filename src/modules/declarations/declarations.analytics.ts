import type { Kernel } from '../../platform/kernel.ts';
import { partyActivity, partyKey, partyRows } from '../analytics/index.ts';
import type { HandledDeclarationsSource } from './declarations.rules.ts';

/** The related-party flag reads the analytics module's declaration data (its index.ts). */
export const analyticsSource = (k: Kernel): HandledDeclarationsSource => ({
  key: partyKey,
  handledWithParties: (tx, tenantId, officer, ids) => partyActivity(k, tx, tenantId, officer, ids),
  rows: (tx, tenantId, versionId, officer, party) => partyRows(k, tx, tenantId, versionId, officer, party),
});
