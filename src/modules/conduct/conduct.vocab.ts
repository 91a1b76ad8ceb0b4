// The conduct module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

/** Whose code: the administration's staff, or brokers and traders (RAD factor 10). */
export const AUDIENCES = ['staff', 'private_sector'] as const;
export const VERSION_STATUSES = ['draft', 'published'] as const;
/** All staff, new entrants (members who joined on or after a day), or org units with their sub-units. */
export const CAMPAIGN_TARGETS = ['all', 'new_entrants', 'units'] as const;
export const PARTY_TYPES = ['broker', 'importer', 'exporter', 'association'] as const;
/** Recorded by an officer from a signed paper, or by the party through a one-time link. */
export const PARTY_ACK_METHODS = ['paper', 'link'] as const;

export type Audience = (typeof AUDIENCES)[number];
export type CampaignTarget = (typeof CAMPAIGN_TARGETS)[number];
export type PartyType = (typeof PARTY_TYPES)[number];
