import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import {
  CLOSE_REASONS,
  DEFAULT_ACK_DAYS,
  DEFAULT_FEEDBACK_DAYS,
  DEFAULT_RETENTION_DAYS,
  DIRECTIONS,
  REPORT_STATUSES,
} from './reports.vocab.ts';

// What a reporter touches carries no time finer than the hour and random (v4) ids: a UUIDv7
// id or a now() default would record the submission to the millisecond
// (docs/adr/0023-reporting-encryption.md).
const randomId = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const hour = (name: string) =>
  timestamp(name, { withTimezone: true }).notNull().default(sql`date_trunc('hour', now())`);

/** A reporting channel: its questionnaire, recipients, retention and clocks. */
export const reportChannels = pgTable(
  'report_channels',
  {
    id: id(),
    tenantId: tenantId(),
    /** The stable public address: /report/<organisation id>/<slug>. */
    slug: text('slug').notNull(),
    /** Name and introduction per language: { en: '…', fr: '…' }. */
    name: jsonb('name').$type<Record<string, string>>().notNull(),
    intro: jsonb('intro').$type<Record<string, string>>().notNull().default({}),
    /** Field[]: id, type, required, statistical, label and options per language, limits. */
    questionnaire: jsonb('questionnaire').notNull(),
    /** Step titles per language, in order: steps[0] is step 1 of the fields' `step`. */
    steps: jsonb('steps').$type<Record<string, string>[]>().notNull().default([]),
    /** Handlers (user ids) every new report of this channel is sealed to. */
    recipients: jsonb('recipients').$type<string[]>().notNull().default([]),
    /**
     * Second-tier handlers: a report choosing an option marked `escalates` (e.g. "a senior
     * manager was involved") is sealed to them instead of `recipients`.
     */
    escalationRecipients: jsonb('escalation_recipients').$type<string[]>().notNull().default([]),
    languages: jsonb('languages').$type<string[]>().notNull(),
    retentionDays: integer('retention_days').notNull().default(DEFAULT_RETENTION_DAYS),
    ackDays: integer('ack_days').notNull().default(DEFAULT_ACK_DAYS),
    feedbackDays: integer('feedback_days').notNull().default(DEFAULT_FEEDBACK_DAYS),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('report_channels_slug').on(t.tenantId, t.slug)],
);

/** A handler's X25519 key: public key in clear, private key wrapped (passphrase, recovery key). */
export const reportHandlerKeys = pgTable(
  'report_handler_keys',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    publicKey: bytea('public_key').notNull(),
    /** Argon2id parameters and salt of the passphrase wrap. */
    kdf: jsonb('kdf').notNull(),
    wrappedByPassphrase: bytea('wrapped_by_passphrase').notNull(),
    wrappedByRecovery: bytea('wrapped_by_recovery').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('report_handler_keys_user').on(t.tenantId, t.userId)],
);

/**
 * A report. Answers are encrypted with the report's key; only the questionnaire's
 * `statistical` fields are kept in clear (for statistics without decryption). Times are
 * truncated to the hour.
 */
export const reports = pgTable(
  'reports',
  {
    id: randomId(),
    tenantId: tenantId(),
    channelId: uuid('channel_id').notNull(),
    /** Keyed hash of the receipt (Argon2id with the pepper, then HKDF): never the receipt. */
    receiptLookup: text('receipt_lookup').notNull(),
    /** The report key sealed to the reporter's receipt-derived key. */
    reporterSeal: bytea('reporter_seal').notNull(),
    answers: bytea('answers').notNull(),
    statistical: jsonb('statistical').$type<Record<string, unknown>>().notNull().default({}),
    /** The questionnaire's language the reporter used. */
    language: text('language').notNull(),
    status: text('status', { enum: REPORT_STATUSES }).notNull().default('new'),
    closeReason: text('close_reason', { enum: CLOSE_REASONS }),
    /** The case it was triaged into (cases module), if any. */
    caseId: uuid('case_id'),
    legalHold: boolean('legal_hold').notNull().default(false),
    /** The reporter chose an option that escalates: routed to the second tier; its case is escalated. */
    escalated: boolean('escalated').notNull().default(false),
    receivedAt: hour('received_at'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Set when retention expired: answers, seals, messages and files are gone (a tombstone). */
    purgedAt: timestamp('purged_at', { withTimezone: true }),
    /** Last time the reporter wrote (hour), for the feedback clock and handlers' attention. */
    reporterActivityAt: hour('reporter_activity_at'),
    createdAt: hour('created_at'),
    updatedAt: hour('updated_at'),
    version: version(),
  },
  (t) => [
    uniqueIndex('reports_receipt_lookup').on(t.tenantId, t.receiptLookup),
    index('reports_channel_idx').on(t.tenantId, t.channelId, t.status),
  ],
);

/** The report key sealed to one assigned handler's public key. Removing the row revokes. */
export const reportSeals = pgTable(
  'report_seals',
  {
    id: randomId(),
    tenantId: tenantId(),
    reportId: uuid('report_id').notNull(),
    userId: uuid('user_id').notNull(),
    sealed: bytea('sealed').notNull(),
    createdAt: hour('created_at'),
  },
  (t) => [uniqueIndex('report_seals_report_user').on(t.tenantId, t.reportId, t.userId)],
);

/** A message between the reporter and the handlers, encrypted with the report key. */
export const reportMessages = pgTable(
  'report_messages',
  {
    id: randomId(),
    tenantId: tenantId(),
    reportId: uuid('report_id').notNull(),
    /** Order within the report (the times are only to the hour). */
    seq: integer('seq').notNull(),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    /** The handler who wrote it (null for the reporter). */
    authorId: uuid('author_id'),
    body: bytea('body').notNull(),
    createdAt: hour('created_at'),
  },
  (t) => [uniqueIndex('report_messages_seq').on(t.tenantId, t.reportId, t.seq)],
);

/**
 * A report attachment: the metadata-free content is encrypted with the report key and kept in the
 * platform file storage; its name and type are encrypted here (reports.files.ts).
 */
export const reportFiles = pgTable(
  'report_files',
  {
    id: randomId(),
    tenantId: tenantId(),
    reportId: uuid('report_id').notNull(),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    /** The handler who sent it (null for the reporter). */
    authorId: uuid('author_id'),
    /** The message it goes with, if any. */
    messageId: uuid('message_id'),
    /** Padded ciphertext size of the stored content (the plaintext size is inside). */
    size: integer('size').notNull(),
    /** Where the platform file storage keeps the ciphertext: reports/<report id>/<file id>. */
    storageKey: text('storage_key').notNull(),
    /** Name, media type, size and what metadata was removed: encrypted with the report key. */
    meta: bytea('meta').notNull(),
    createdAt: hour('created_at'),
  },
  (t) => [index('report_files_report_idx').on(t.tenantId, t.reportId)],
);

/**
 * Key escrow of an administration (docs/adr/0023-reporting-encryption.md, "Escrow"): a row exists
 * only while escrow is on. The escrow X25519 public key is in clear; its private key exists only
 * sealed to each custodian (reports_escrow_custodians). Switching off deletes all of it.
 */
export const reportsEscrow = pgTable(
  'reports_escrow',
  {
    id: id(),
    tenantId: tenantId(),
    publicKey: bytea('public_key').notNull(),
    /** Who switched it on (audited too). */
    enabledBy: uuid('enabled_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('reports_escrow_tenant').on(t.tenantId)],
);

/** The escrow private key (PKCS#8 DER) sealed to one custodian's handler public key. */
export const reportsEscrowCustodians = pgTable(
  'reports_escrow_custodians',
  {
    id: id(),
    tenantId: tenantId(),
    escrowId: uuid('escrow_id').notNull(),
    userId: uuid('user_id').notNull(),
    sealed: bytea('sealed').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reports_escrow_custodians_user').on(t.tenantId, t.userId)],
);

/** A report key sealed to the escrow public key (reports submitted while escrow was on). */
export const reportsEscrowSeals = pgTable(
  'reports_escrow_seals',
  {
    id: randomId(),
    tenantId: tenantId(),
    reportId: uuid('report_id').notNull(),
    escrowId: uuid('escrow_id').notNull(),
    sealed: bytea('sealed').notNull(),
    createdAt: hour('created_at'),
  },
  (t) => [uniqueIndex('reports_escrow_seals_report').on(t.tenantId, t.reportId)],
);
