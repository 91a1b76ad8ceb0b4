// Catalog keys built from data (factor numbers, band values, scale points), typed for t().

type Factor = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10';
type Band = 'gender' | 'age' | 'grade';
type BandValue = {
  gender: 'female' | 'male' | 'other';
  age: 'u30' | '30_44' | '45_59' | '60p';
  grade: 'junior' | 'mid' | 'senior' | 'management';
};

export const factorKey = (f: number) => `surveys.factor.${f}` as `surveys.factor.${Factor}`;
export const bandValueKey = (band: string, value: string) =>
  `surveys.bands.${band}.${value}` as `surveys.bands.gender.${BandValue['gender']}`;
export const bandKey = (band: string) => `surveys.band.${band}` as `surveys.band.${Band | 'region'}`;
export const likertKey = (v: string | number) =>
  `surveys.likert.${v}` as `surveys.likert.${1 | 2 | 3 | 4 | 5}`;
export const frequencyKey = (v: string | number) =>
  `surveys.frequency.${v}` as `surveys.frequency.${0 | 1 | 2 | 3 | 4}`;
export const yesNoKey = (v: string) => (v === 'yes' ? 'surveys.yes' : 'surveys.no');
