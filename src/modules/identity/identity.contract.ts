import { z } from 'zod';
import { ORG_TYPES, ORG_UNIT_TYPES, WCO_REGIONS } from './identity.vocab.ts';

// Contracts shared by the server routes and the UI. Strict objects: unknown fields are refused.
export const LOCALE_CODES = ['en', 'fr', 'es', 'ru', 'ar', 'pt'] as const;
export const LocaleCode = z.enum(LOCALE_CODES);

const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const Password = z
  .string()
  .min(12, 'at least 12 characters')
  .max(256, 'at most 256 characters')
  .refine((p) => new Set(p).size >= 6, 'use at least 6 different characters');

export const LoginInput = z.object({ email, password: z.string().min(1).max(256) }).strict();
export const TotpInput = z.object({ code: z.string().trim().min(6).max(32) }).strict();
export const LoginResult = z.object({ status: z.enum(['ok', 'mfa_required']) });

export const OrganisationSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  shortName: z.string().nullable(),
  type: z.string(),
  country: z.string().nullable(),
  wcoRegion: z.string().nullable(),
  roles: z.array(z.string()),
});
export type OrganisationSummary = z.infer<typeof OrganisationSummary>;

export const Me = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    locale: z.string().nullable(),
    totpEnabled: z.boolean(),
    isPlatformAdmin: z.boolean(),
  }),
  organisations: z.array(OrganisationSummary),
  activeOrganisation: OrganisationSummary.nullable(),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

export const UpdateMeInput = z
  .object({ name: z.string().trim().min(1).max(200).optional(), locale: LocaleCode.nullable().optional() })
  .strict();
export const SwitchOrganisationInput = z.object({ organisationId: z.uuid() }).strict();
export const ChangePasswordInput = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: Password })
  .strict();
export const TotpSetupResult = z.object({ secret: z.string(), uri: z.string(), qrSvg: z.string() });
export const TotpEnableInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'six digits'),
  })
  .strict();
export const RecoveryCodesResult = z.object({ recoveryCodes: z.array(z.string()) });
export const TotpDisableInput = z.object({ password: z.string().min(1).max(256) }).strict();

export const PasswordResetRequestInput = z.object({ email }).strict();
export const PasswordResetConfirmInput = z
  .object({ token: z.string().min(20).max(200), password: Password })
  .strict();

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  organisationId: z.uuid(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export const CreateApiTokenInput = z
  .object({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(365) })
  .strict();
export const CreatedApiToken = ApiToken.extend({ token: z.string() });

export const OrgUnit = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  type: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  version: z.number().int(),
});
export const CreateOrgUnitInput = z
  .object({
    parentId: z.uuid().nullable(),
    type: z.enum(ORG_UNIT_TYPES),
    name: z.string().trim().min(1).max(200),
    code: z.string().trim().min(1).max(40).nullable().optional(),
  })
  .strict();

export const UpdateOrgUnitInput = z
  .object({
    parentId: z.uuid().nullable().optional(),
    name: z.string().trim().min(1).max(200).optional(),
    code: z.string().trim().min(1).max(40).nullable().optional(),
    type: z.enum(ORG_UNIT_TYPES).optional(),
    version: z.number().int().min(1),
  })
  .strict();

export const Member = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  totpEnabled: z.boolean(),
  version: z.number().int(),
});
export const UpdateMemberInput = z
  .object({ roles: z.array(z.string().max(60)).min(1).max(20), version: z.number().int().min(1) })
  .strict();

export const InviteInput = z.object({ email, roles: z.array(z.string().max(60)).min(1).max(20) }).strict();
export const Invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  roles: z.array(z.string()),
  expiresAt: z.iso.datetime(),
  acceptedAt: z.iso.datetime().nullable(),
});
export const AcceptInvitationInput = z
  .object({ token: z.string().min(20).max(200), name: z.string().trim().min(1).max(200), password: Password })
  .strict();

export const Role = z.object({ id: z.string(), label: z.string(), permissions: z.array(z.string()) });
export const Permission = z.object({ id: z.string(), module: z.string(), label: z.string() });
export const RolesResult = z.object({ roles: z.array(Role), permissions: z.array(Permission) });

export const IdParam = z.object({ id: z.uuid() }).strict();

export const OrganisationInput = z
  .object({
    type: z.enum(ORG_TYPES),
    name: z.string().trim().min(2).max(200),
    shortName: z.string().trim().min(1).max(40).nullable().optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code, upper case')
      .nullable()
      .optional(),
    wcoRegion: z.enum(WCO_REGIONS).nullable().optional(),
    defaultLocale: LocaleCode.optional(),
  })
  .strict();
export const Organisation = z.object({
  id: z.uuid(),
  type: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  country: z.string().nullable(),
  wcoRegion: z.string().nullable(),
  defaultLocale: z.string(),
});
export const FirstAdminInput = z.object({ email, name: z.string().trim().min(1).max(200) }).strict();
