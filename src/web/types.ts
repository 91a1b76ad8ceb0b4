import type { z } from 'zod';
import type {
  ApiToken,
  CreatedApiToken,
  Invitation,
  Me,
  Member,
  OrgUnit,
  Organisation,
  OrganisationInput,
  OrganisationSummary,
  RecoveryCodesResult,
  RolesResult,
  TotpSetupResult,
  CreateOrgUnitInput,
  LoginResult,
} from '../modules/identity/identity.contract';
import type {
  ChecklistItem,
  FactorDetail,
  FactorSummary,
  LibrarySummary,
  UncacArticle,
  UncacRef,
  Verification,
} from '../modules/standards/standards.contract';

// API types inferred from the zod contracts (type-only: no zod in the browser bundle).
export type MeT = z.infer<typeof Me>;
export type OrganisationSummaryT = z.infer<typeof OrganisationSummary>;
export type OrganisationT = z.infer<typeof Organisation>;
export type OrganisationInputT = z.infer<typeof OrganisationInput>;
export type OrganisationType = OrganisationInputT['type'];
export type WcoRegion = NonNullable<OrganisationInputT['wcoRegion']>;
export type ApiTokenT = z.infer<typeof ApiToken>;
export type CreatedApiTokenT = z.infer<typeof CreatedApiToken>;
export type MemberT = z.infer<typeof Member>;
export type InvitationT = z.infer<typeof Invitation>;
export type OrgUnitT = z.infer<typeof OrgUnit>;
export type OrgUnitType = z.infer<typeof CreateOrgUnitInput>['type'];
export type RolesResultT = z.infer<typeof RolesResult>;
export type TotpSetupResultT = z.infer<typeof TotpSetupResult>;
export type RecoveryCodesResultT = z.infer<typeof RecoveryCodesResult>;
export type LoginResultT = z.infer<typeof LoginResult>;

export type FactorSummaryT = z.infer<typeof FactorSummary>;
export type FactorDetailT = z.infer<typeof FactorDetail>;
export type ChecklistItemT = z.infer<typeof ChecklistItem>;
export type UncacArticleT = z.infer<typeof UncacArticle>;
export type UncacRefT = z.infer<typeof UncacRef>;
export type LibrarySummaryT = z.infer<typeof LibrarySummary>;
export type VerificationT = z.infer<typeof Verification>;

export interface Health {
  status?: string;
  demo?: boolean;
  environment?: string;
  version?: string;
}

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  body: string;
  createdAt: string;
}

export {
  ORG_UNIT_TYPES,
  ORG_TYPES as ORGANISATION_TYPES,
  WCO_REGIONS,
} from '../modules/identity/identity.vocab';
