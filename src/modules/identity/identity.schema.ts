import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  unique,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import { ORG_TYPES, ORG_UNIT_TYPES, WCO_REGIONS } from './identity.vocab.ts';

export { ORG_TYPES, ORG_UNIT_TYPES, WCO_REGIONS } from './identity.vocab.ts';

// An organisation is a tenant: its id is the tenant id of everything it owns.
export const organisations = pgTable('organisations', {
  id: id(),
  type: text('type', { enum: ORG_TYPES }).notNull(),
  name: text('name').notNull(),
  shortName: text('short_name'),
  country: text('country'),
  wcoRegion: text('wco_region', { enum: WCO_REGIONS }),
  defaultLocale: text('default_locale').notNull().default('en'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

export const orgUnits = pgTable(
  'org_units',
  {
    id: id(),
    tenantId: tenantId(),
    parentId: uuid('parent_id'),
    type: text('type', { enum: ORG_UNIT_TYPES }).notNull(),
    name: text('name').notNull(),
    code: text('code'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('org_units_tenant_idx').on(t.tenantId, t.parentId)],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    locale: text('locale'),
    totpSecret: text('totp_secret'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** The last accepted TOTP time step: a code is accepted once (RFC 6238 §5.2). */
    totpLastStep: integer('totp_last_step'),
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('users_email_idx').on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    roles: text('roles').array().notNull(),
    orgUnitId: uuid('org_unit_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    unique('memberships_tenant_user').on(t.tenantId, t.userId),
    index('memberships_user_idx').on(t.userId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id').notNull(),
    tenantId: uuid('tenant_id'),
    mfaPending: boolean('mfa_pending').notNull().default(false),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const recoveryCodes = pgTable('recovery_codes', {
  id: id(),
  userId: uuid('user_id').notNull(),
  codeHash: text('code_hash').notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  userId: uuid('user_id').notNull(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  prefix: text('prefix').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const passwordResets = pgTable('password_resets', {
  id: id(),
  userId: uuid('user_id').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const invitations = pgTable('invitations', {
  id: id(),
  tenantId: tenantId(),
  email: text('email').notNull(),
  roles: text('roles').array().notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  invitedBy: uuid('invited_by').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
});
