import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import {
  AUDIENCES,
  CAMPAIGN_TARGETS,
  PARTY_ACK_METHODS,
  PARTY_TYPES,
  VERSION_STATUSES,
} from './conduct.vocab.ts';

export interface SanctionStep {
  level: number;
  misconduct: string;
  sanction: string;
}

/**
 * A version of a code of conduct (the staff code or the private-sector code): Markdown text
 * and/or an uploaded PDF, an effective date and the graded sanction scale. A published version
 * is immutable (the service refuses, and a trigger stops any UPDATE or DELETE of it).
 */
export const conductVersions = pgTable(
  'conduct_versions',
  {
    id: id(),
    tenantId: tenantId(),
    audience: text('audience', { enum: AUDIENCES }).notNull(),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    pdfKey: text('pdf_key'),
    pdfName: text('pdf_name'),
    pdfSha256: text('pdf_sha256'),
    effectiveDate: date('effective_date').notNull(),
    sanctions: jsonb('sanctions').$type<SanctionStep[]>().notNull().default([]),
    status: text('status', { enum: VERSION_STATUSES }).notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('conduct_versions_number').on(t.tenantId, t.audience, t.number)],
);

/** Who must acknowledge a published staff version, by when. */
export const conductCampaigns = pgTable('conduct_campaigns', {
  id: id(),
  tenantId: tenantId(),
  versionId: uuid('version_id').notNull(),
  title: text('title').notNull(),
  targetKind: text('target_kind', { enum: CAMPAIGN_TARGETS }).notNull(),
  /** Unit ids (with their sub-units) when targetKind = units. */
  units: jsonb('units').$type<string[]>().notNull().default([]),
  /** new_entrants: members who joined on or after this day. */
  joinedFrom: date('joined_from'),
  dueDate: date('due_date').notNull(),
  escalate: boolean('escalate').notNull().default(true),
  createdBy: uuid('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

/** One person who must acknowledge a version under a campaign (their unit when assigned). */
export const conductAssignments = pgTable(
  'conduct_assignments',
  {
    id: id(),
    tenantId: tenantId(),
    campaignId: uuid('campaign_id').notNull(),
    versionId: uuid('version_id').notNull(),
    userId: uuid('user_id').notNull(),
    orgUnitId: uuid('org_unit_id'),
    dueDate: date('due_date').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('conduct_assignments_campaign_user').on(t.campaignId, t.userId),
    index('conduct_assignments_user').on(t.tenantId, t.userId),
  ],
);

/** A staff member's acknowledgement of one version (day and time recorded). */
export const conductAcknowledgements = pgTable(
  'conduct_acknowledgements',
  {
    id: id(),
    tenantId: tenantId(),
    versionId: uuid('version_id').notNull(),
    userId: uuid('user_id').notNull(),
    orgUnitId: uuid('org_unit_id'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('conduct_acknowledgements_user_version').on(t.tenantId, t.userId, t.versionId)],
);

/** The register of external parties bound by the private-sector code. */
export const conductParties = pgTable('conduct_parties', {
  id: id(),
  tenantId: tenantId(),
  type: text('type', { enum: PARTY_TYPES }).notNull(),
  name: text('name').notNull(),
  /** Licence or registration number. */
  identifier: text('identifier'),
  /** A licensed broker (counts in the RAD factor 10 rate). */
  licensed: boolean('licensed').notNull().default(false),
  email: text('email'),
  archived: boolean('archived').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

export const conductPartyAcks = pgTable(
  'conduct_party_acks',
  {
    id: id(),
    tenantId: tenantId(),
    partyId: uuid('party_id').notNull(),
    versionId: uuid('version_id').notNull(),
    method: text('method', { enum: PARTY_ACK_METHODS }).notNull(),
    signatory: text('signatory').notNull(),
    /** The officer who recorded a paper acknowledgement. */
    recordedBy: uuid('recorded_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('conduct_party_acks_party_version').on(t.partyId, t.versionId)],
);

/** A one-time link for a party: only the SHA-256 of its token is stored. */
export const conductPartyLinks = pgTable(
  'conduct_party_links',
  {
    id: id(),
    tenantId: tenantId(),
    partyId: uuid('party_id').notNull(),
    versionId: uuid('version_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('conduct_party_links_token').on(t.tokenHash)],
);
