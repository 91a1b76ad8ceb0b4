// The identity module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI (which must not pull zod or Drizzle into its bundle).

export const ORG_TYPES = [
  'secretariat',
  'administration',
  'donor',
  'private_sector',
  'international',
] as const;

/** WCO regions: East and Southern Africa; West and Central Africa; North of Africa, Near and
 *  Middle East; Europe; Asia/Pacific; the Americas and the Caribbean. */
export const WCO_REGIONS = ['ESA', 'WCA', 'MENA', 'EUR', 'AP', 'AMC'] as const;

export const ORG_UNIT_TYPES = [
  'headquarters',
  'directorate',
  'region',
  'office',
  'border_post',
  'port',
  'airport',
  'ia_unit',
] as const;
