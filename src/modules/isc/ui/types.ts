// What the UI reads from /api/isc: the server's contracts (type-only imports).
import type { z } from 'zod';
import type {
  AgendaItem,
  Document,
  ObserverOrganisation,
  Recommendation,
  SessionDetail,
  SessionSummary,
  WorkItem,
} from '../isc.contract';

export type SessionSummaryT = z.infer<typeof SessionSummary>;
export type SessionDetailT = z.infer<typeof SessionDetail>;
export type AgendaItemT = z.infer<typeof AgendaItem>;
export type DocumentT = z.infer<typeof Document>;
export type WorkItemT = z.infer<typeof WorkItem>;
export type RecommendationT = z.infer<typeof Recommendation>;
export type ObserverOrganisationT = z.infer<typeof ObserverOrganisation>;
