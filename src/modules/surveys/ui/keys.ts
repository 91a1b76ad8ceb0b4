// Catalog keys built from data (factor numbers, band values, scale points), typed for t().

import type { AGE_BANDS, BandKey, GENDER_BANDS, GRADE_BANDS, RAD_FACTORS } from '../surveys.vocab';

type Factor = (typeof RAD_FACTORS)[number];
type BandValue = {
  gender: (typeof GENDER_BANDS)[number];
  age: (typeof AGE_BANDS)[number];
  grade: (typeof GRADE_BANDS)[number];
};
type BandValueKey = { [B in keyof BandValue]: `surveys.bands.${B}.${BandValue[B]}` }[keyof BandValue];

export const factorKey = (f: number) => `surveys.factor.${f}` as `surveys.factor.${Factor}`;
export const bandValueKey = (band: string, value: string) => `surveys.bands.${band}.${value}` as BandValueKey;
export const bandKey = (band: string) => `surveys.band.${band}` as `surveys.band.${BandKey}`;
export const likertKey = (v: string | number) =>
  `surveys.likert.${v}` as `surveys.likert.${1 | 2 | 3 | 4 | 5}`;
export const frequencyKey = (v: string | number) =>
  `surveys.frequency.${v}` as `surveys.frequency.${0 | 1 | 2 | 3 | 4}`;
export const yesNoKey = (v: string) => (v === 'yes' ? 'surveys.yes' : 'surveys.no');
