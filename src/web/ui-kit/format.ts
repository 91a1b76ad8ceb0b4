import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Dates, numbers and file sizes through Intl in language `lng`. */
export function formatsFor(lng: string) {
  const date = new Intl.DateTimeFormat(lng, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(lng);
  const list = new Intl.ListFormat(lng, { style: 'short', type: 'conjunction' });
  // Units through Intl so French reads "ko"/"Mo" and Arabic its own abbreviations.
  const kb = new Intl.NumberFormat(lng, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
  const mb = new Intl.NumberFormat(lng, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  return {
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
    number: (n: number) => number.format(n),
    list: (items: string[]) => list.format(items),
    /** A file's size: whole kilobytes (at least 1) under a megabyte, megabytes above (1024-based). */
    fileSize: (bytes: number) =>
      bytes < 1024 * 1024 ? kb.format(Math.max(1, Math.ceil(bytes / 1024))) : mb.format(bytes / 1024 / 1024),
  };
}

/** {@link formatsFor} the UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => formatsFor(lng), [lng]);
}
