// What the UI reads from /api/programme: the server's contracts (type-only imports).
import type { z } from 'zod';
import type {
  Activity,
  Agreement,
  Donor,
  DonorDashboard,
  DonorOrganisation,
  Eoi,
  FactorResults,
  FundingGap,
  Mine,
  Partnership,
  Pipeline,
  Rate,
} from '../programme.contract';

export type ActivityT = z.infer<typeof Activity>;
export type AgreementT = z.infer<typeof Agreement>;
export type DonorT = z.infer<typeof Donor>;
export type DonorDashboardT = z.infer<typeof DonorDashboard>;
export type DonorOrganisationT = z.infer<typeof DonorOrganisation>;
export type EoiT = z.infer<typeof Eoi>;
export type FactorResultsT = z.infer<typeof FactorResults>;
export type FundingGapT = z.infer<typeof FundingGap>;
export type MineT = z.infer<typeof Mine>;
export type PartnershipT = z.infer<typeof Partnership>;
export type PipelineT = z.infer<typeof Pipeline>;
export type RateT = z.infer<typeof Rate>;
