import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Dates and numbers through Intl in the UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => {
    const date = new Intl.DateTimeFormat(lng, { dateStyle: 'medium' });
    const dateTime = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' });
    const number = new Intl.NumberFormat(lng);
    const list = new Intl.ListFormat(lng, { style: 'short', type: 'conjunction' });
    return {
      date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
      dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
      number: (n: number) => number.format(n),
      list: (items: string[]) => list.format(items),
    };
  }, [lng]);
}
