import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { type Items, api } from '../../../web/api';
import type { Channel, Field, Recipient } from '../reports.contract';
import type { ChannelLanguage } from '../reports.vocab';

// The channel administration pages' data: the channels (with their questionnaire) and the
// members who may receive reports.

export type Texts = Partial<Record<string, string>>;
export type OptionT = { id: string; label: Texts; escalates?: boolean };
export type FieldT = Omit<Field, 'label' | 'help' | 'options'> & {
  label: Texts;
  help?: Texts;
  options?: OptionT[];
};
export type ChannelT = Omit<z.infer<typeof Channel>, 'questionnaire'> & { questionnaire: FieldT[] };
export type RecipientT = z.infer<typeof Recipient>;
export type { ChannelLanguage };

export const channelsKey = ['reports', 'channels'] as const;

export function useChannels() {
  return useQuery({
    queryKey: channelsKey,
    queryFn: ({ signal }) => api.get<Items<ChannelT>>('/api/reports/channels', { signal }),
  });
}

/** Members who may receive reports (and be assigned one), with whether they have keys. */
export function useRecipients(enabled = true) {
  return useQuery({
    queryKey: ['reports', 'recipients'],
    queryFn: ({ signal }) => api.get<Items<RecipientT>>('/api/reports/recipients', { signal }),
    staleTime: 60_000,
    enabled,
  });
}

/** A text in `lang`, else in the channel's first language, else any. */
export const textIn = (t: Texts | undefined, lang: string, langs: readonly string[] = []) =>
  t ? (t[lang] ?? t[langs[0] ?? 'en'] ?? Object.values(t).find(Boolean) ?? '') : '';

/** The public page of a channel, as a full address. */
export const publicUrl = (c: Pick<ChannelT, 'path'>) => `${window.location.origin}${c.path}`;
