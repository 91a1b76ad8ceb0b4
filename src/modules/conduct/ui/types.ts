// What the UI reads from /api/conduct: the server's contracts (type-only imports).
import type { z } from 'zod';
import type {
  Campaign,
  CampaignDetail,
  MyCode,
  Party,
  PartyLink,
  PartyList,
  PublicCode,
  Report,
  VersionDetail,
  VersionSummary,
} from '../conduct.contract';

export type MyCodeT = z.infer<typeof MyCode>;
export type VersionSummaryT = z.infer<typeof VersionSummary>;
export type VersionDetailT = z.infer<typeof VersionDetail>;
export type CampaignT = z.infer<typeof Campaign>;
export type CampaignDetailT = z.infer<typeof CampaignDetail>;
export type ReportT = z.infer<typeof Report>;
export type PartyT = z.infer<typeof Party>;
export type PartyListT = z.infer<typeof PartyList>;
export type PartyLinkT = z.infer<typeof PartyLink>;
export type PublicCodeT = z.infer<typeof PublicCode>;
