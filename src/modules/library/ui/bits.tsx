import { ActionIcon, Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { IconPaperclip, IconTrash } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES } from '../../../web/i18n';
import { useFormat } from '../../../web/ui-kit/format';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import type { EntryStatus, EntryType, EntryLanguage } from '../library.vocab';
import type { PublishedDetailT } from './types';

export const libraryKey = ['library'] as const;

export function LibraryTabs({ current }: { current: 'search' | 'mine' | 'moderation' }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('library.tabsLabel')}
      current={current}
      tabs={[
        { id: 'search', to: '/library', label: t('library.searchTab') },
        { id: 'mine', to: '/library/mine', label: t('library.mineTab'), permission: 'library.contribute' },
        {
          id: 'moderation',
          to: '/library/moderation',
          label: t('library.moderationTab'),
          permission: 'library.moderate',
        },
      ]}
    />
  );
}

const STATUS_COLOR: Record<EntryStatus, string> = {
  draft: 'gray',
  submitted: 'orange',
  published: 'teal',
  rejected: 'red',
  unpublished: 'dark',
};

export function StatusBadge({ status }: { status: EntryStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {t(`library.status.${status}`)}
    </Badge>
  );
}

/** Type, language and RAD factors of an entry, as badges. */
export function EntryBadges({
  type,
  language,
  factors,
}: {
  type: EntryType;
  language: EntryLanguage;
  factors: number[];
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap">
      <Badge variant="filled">{t(`library.types.${type}`)}</Badge>
      <Badge variant="outline" color="gray" lang={language}>
        {LANGUAGE_NAMES[language]}
      </Badge>
      {factors.map((n) => (
        <Badge key={n} variant="light" color="indigo">
          {factorLabel(t, n)}
        </Badge>
      ))}
    </Group>
  );
}

/** "6. Audit and investigation": a RAD key factor's number and name (the surveys' names). */
const factorLabel = (t: TFunction, n: number) =>
  t('library.factorBadge', { number: n, name: t(`surveys.factor.${n}` as never) });

const FACTORS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** The ten RAD key factors as select options (value: the number as text). */
export const factorOptions = (t: TFunction) =>
  FACTORS.map((n) => ({ value: String(n), label: factorLabel(t, n) }));

/** What changed, measured: label, before, after, unit. */
export function MeasuresTable({
  measures,
  testId,
}: {
  measures: PublishedDetailT['measures'];
  testId?: string;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Table data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('library.measureLabel')}</Table.Th>
          <Table.Th>{t('library.before')}</Table.Th>
          <Table.Th>{t('library.after')}</Table.Th>
          <Table.Th>{t('library.unit')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {measures.map((m, i) => (
          // Two measures may share a label, hence the index in the key.
          <Table.Tr key={`${i}-${m.label}`}>
            <Table.Td>{m.label}</Table.Td>
            <Table.Td>{m.before ?? '—'}</Table.Td>
            <Table.Td>{m.after ?? '—'}</Table.Td>
            <Table.Td>{m.unit ?? ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Attachments with download links (`href` gives each one's URL), removable when `onRemove` is given. */
export function AttachmentList({
  attachments,
  href,
  onRemove,
}: {
  attachments: { id: string; filename: string; size: number }[];
  href: (id: string) => string;
  onRemove?: (id: string) => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  if (attachments.length === 0) return null;
  return (
    <Stack gap={4} data-testid="library-attachments">
      {attachments.map((a) => (
        <Group key={a.id} gap="xs" wrap="nowrap">
          <IconPaperclip size={14} aria-hidden />
          <Anchor href={href(a.id)} dir="auto" aria-label={t('library.download', { name: a.filename })}>
            {a.filename}
          </Anchor>
          <Text size="xs" c="dimmed">
            {f.fileSize(a.size)}
          </Text>
          {onRemove && (
            <ActionIcon
              size="sm"
              variant="subtle"
              color="red"
              aria-label={t('library.removeAttachment', { name: a.filename })}
              onClick={() => onRemove(a.id)}
            >
              <IconTrash size={14} aria-hidden />
            </ActionIcon>
          )}
        </Group>
      ))}
    </Stack>
  );
}
