import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Container,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, request } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import type { TaxonomyUsage } from '../cases.contract';
import {
  SHIPPED,
  TAXONOMY_KINDS,
  TAXONOMY_LANGS,
  type Taxonomy,
  type TaxonomyEntry,
  type TaxonomyKind,
  type TaxonomyLang,
} from '../cases.vocab';
import { CasesTabs, taxonomyText } from './bits';
import { casesKey, useSettings } from './queries';
import type { SettingsT } from './types';

// The taxonomy page (cases.manage): each list of codes an administration uses — closure reasons,
// decisions, outcomes, the sanction scale — with its own labels in en/fr/ar, added, renamed,
// deactivated (a used entry is never removed), reordered. Every change saves the whole taxonomy
// with the version read (409: someone saved in between → reload).

export function CaseTaxonomyPage(): ReactNode {
  return (
    <RequirePermission permission="cases.manage">
      <TaxonomyView />
    </RequirePermission>
  );
}

const usageKey = [...casesKey, 'settings', 'usage'] as const;

function useUsage() {
  return useQuery({
    queryKey: usageKey,
    queryFn: ({ signal }) => request<TaxonomyUsage>('/api/cases/settings/usage', { signal }),
  });
}

/** Saves a changed taxonomy with the version read; the answer replaces the cached settings. */
function useSaveTaxonomy() {
  const qc = useQueryClient();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: ({ taxonomy, version }: { taxonomy: Taxonomy; version: number }) =>
      request<SettingsT>('/api/cases/settings', { method: 'PUT', body: { taxonomy, version } }),
    onSuccess: (s) => {
      qc.setQueryData([...casesKey, 'settings'], s);
      qc.invalidateQueries({ queryKey: usageKey });
      notifySuccess(t('cases.saved'));
    },
  });
}

function TaxonomyView(): ReactNode {
  const { t } = useTranslation();
  const settings = useSettings();
  const usage = useUsage();
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('cases.taxonomy.title')} description={t('cases.taxonomy.intro')} />
      <CasesTabs current="taxonomy" />
      {settings.isPending ? (
        <PageLoader />
      ) : settings.isError ? (
        <QueryError error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <Stack gap="lg">
          {settings.data.isDefault && (
            <Alert
              icon={<IconInfoCircle aria-hidden />}
              color="blue"
              variant="light"
              data-testid="taxonomy-default"
            >
              {t('cases.taxonomy.isDefault')}
            </Alert>
          )}
          {TAXONOMY_KINDS.map((kind) => (
            <KindSection
              key={kind}
              kind={kind}
              settings={settings.data}
              usage={usage.data?.[kind] ?? {}}
              onReload={() => Promise.all([settings.refetch(), usage.refetch()])}
            />
          ))}
          <DueDays settings={settings.data} onReload={() => settings.refetch()} />
        </Stack>
      )}
    </Container>
  );
}

function KindSection({
  kind,
  settings,
  usage,
  onReload,
}: {
  kind: TaxonomyKind;
  settings: SettingsT;
  usage: Record<string, number>;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const save = useSaveTaxonomy();
  const [editing, setEditing] = useState<TaxonomyEntry | 'new' | null>(null);
  const list = settings.taxonomy[kind];
  const change = (next: TaxonomyEntry[]) =>
    save.mutate({ taxonomy: { ...settings.taxonomy, [kind]: next }, version: settings.version });
  const move = (i: number, by: -1 | 1) => {
    const next = [...list];
    const [e] = next.splice(i, 1);
    next.splice(i + by, 0, e!);
    change(next);
  };
  const kindName = t(`cases.taxonomy.kind.${kind}`);
  return (
    <Section title={kindName} description={t(`cases.taxonomy.hint.${kind}`)}>
      <div data-testid={`taxonomy-${kind}`}>
        <ScrollTable minWidth={760} label={kindName}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cases.taxonomy.order')}</Table.Th>
                <Table.Th scope="col">{t('cases.taxonomy.label')}</Table.Th>
                <Table.Th scope="col">{t('cases.taxonomy.code')}</Table.Th>
                <Table.Th scope="col">{t('cases.taxonomy.state')}</Table.Th>
                <Table.Th scope="col">{t('cases.taxonomy.used')}</Table.Th>
                <Table.Th scope="col">{t('cases.taxonomy.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((e, i) => {
                const name = taxonomyText(list, kind, e.code);
                const used = usage[e.code] ?? 0;
                const shipped = SHIPPED[kind].includes(e.code);
                return (
                  <Table.Tr key={e.code} data-testid="taxonomy-entry" data-code={e.code}>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          disabled={i === 0 || save.isPending}
                          onClick={() => move(i, -1)}
                          aria-label={t('cases.taxonomy.up', { name })}
                        >
                          <IconArrowUp size={16} aria-hidden />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          disabled={i === list.length - 1 || save.isPending}
                          onClick={() => move(i, 1)}
                          aria-label={t('cases.taxonomy.down', { name })}
                        >
                          <IconArrowDown size={16} aria-hidden />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={e.active ? undefined : 'dimmed'}>
                        {name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" dir="ltr">
                        {e.code}
                      </Text>
                      {shipped && (
                        <Text size="xs" c="dimmed">
                          {t('cases.taxonomy.shipped')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={e.active ? 'teal' : 'gray'} variant="light" w="max-content" maw="none">
                        {e.active ? t('cases.taxonomy.active') : t('cases.taxonomy.inactive')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{f.number(used)}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant="default"
                          onClick={() => setEditing(e)}
                          aria-label={t('cases.taxonomy.renameNamed', { name })}
                        >
                          {t('cases.taxonomy.rename')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="default"
                          disabled={save.isPending}
                          onClick={() =>
                            change(list.map((x) => (x.code === e.code ? { ...x, active: !x.active } : x)))
                          }
                          aria-label={t(
                            e.active ? 'cases.taxonomy.deactivateNamed' : 'cases.taxonomy.activateNamed',
                            {
                              name,
                            },
                          )}
                        >
                          {e.active ? t('cases.taxonomy.deactivate') : t('cases.taxonomy.activate')}
                        </Button>
                        {!shipped && used === 0 && (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red.9"
                            onClick={() => change(list.filter((x) => x.code !== e.code))}
                            aria-label={t('cases.taxonomy.removeNamed', { name })}
                          >
                            {t('cases.taxonomy.remove')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      </div>
      {editing === null && <TaxonomyError error={save.error} onReload={onReload} />}
      <Button variant="light" w="fit-content" onClick={() => setEditing('new')} data-testid={`add-${kind}`}>
        {t(`cases.taxonomy.add.${kind}`)}
      </Button>
      {editing !== null && (
        <EntryModal
          key={editing === 'new' ? 'new' : editing.code}
          kind={kind}
          entry={editing}
          settings={settings}
          onClose={() => setEditing(null)}
          onReload={onReload}
        />
      )}
    </Section>
  );
}

/** A save's error: the 409 reload message, "in use" in words, else the problem and its details. */
function TaxonomyError({ error, onReload }: { error: unknown; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  if (isApiError(error, 'CONFLICT'))
    return (
      <Alert color="red" variant="light" role="alert" title={t('cases.taxonomy.inUseTitle')}>
        {t('cases.taxonomy.inUse')}
      </Alert>
    );
  return <SaveError error={error} onReload={onReload} />;
}

/** A code from a label: lower case, accents dropped, words joined with _ (empty for other scripts). */
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');

const LANG_NAMES: Record<TaxonomyLang, string> = { en: 'English', fr: 'Français', ar: 'العربية' };

function EntryModal({
  kind,
  entry,
  settings,
  onClose,
  onReload,
}: {
  kind: TaxonomyKind;
  entry: TaxonomyEntry | 'new';
  settings: SettingsT;
  onClose: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const save = useSaveTaxonomy();
  const isNew = entry === 'new';
  // The dialog is mounted per entry (its key), so the form starts from that entry.
  const [v, setV] = useState<{ code: string; codeTouched: boolean; labels: Record<TaxonomyLang, string> }>(
    () =>
      entry && entry !== 'new'
        ? {
            code: entry.code,
            codeTouched: true,
            labels: { en: entry.labels.en ?? '', fr: entry.labels.fr ?? '', ar: entry.labels.ar ?? '' },
          }
        : { code: '', codeTouched: false, labels: { en: '', fr: '', ar: '' } },
  );
  const list = settings.taxonomy[kind];
  const shipped = entry !== 'new' && SHIPPED[kind].includes(entry.code);
  const setLabel = (lang: TaxonomyLang, value: string) => {
    const labels = { ...v.labels, [lang]: value };
    const code = v.codeTouched ? v.code : slug(labels.en || labels.fr || '');
    setV({ ...v, labels, code });
  };
  const labels = Object.fromEntries(
    TAXONOMY_LANGS.filter((l) => v.labels[l].trim()).map((l) => [l, v.labels[l].trim()]),
  ) as TaxonomyEntry['labels'];
  const submit = () => {
    const next: TaxonomyEntry[] =
      entry === 'new'
        ? [...list, { code: v.code, labels, active: true }]
        : list.map((e) => (e.code === entry.code ? { ...e, labels } : e));
    save.mutate(
      { taxonomy: { ...settings.taxonomy, [kind]: next }, version: settings.version },
      { onSuccess: onClose },
    );
  };
  const title =
    entry === 'new'
      ? t(`cases.taxonomy.add.${kind}`)
      : t('cases.taxonomy.renameNamed', { name: taxonomyText(list, kind, entry.code) });
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            {shipped ? t('cases.taxonomy.shippedHint') : t('cases.taxonomy.labelsHint')}
          </Text>
          {TAXONOMY_LANGS.map((lang) => (
            <TextInput
              key={lang}
              label={t('cases.taxonomy.labelIn', { language: LANG_NAMES[lang] })}
              lang={lang}
              dir={lang === 'ar' ? 'rtl' : 'ltr'}
              maxLength={120}
              value={v.labels[lang]}
              onChange={(e) => setLabel(lang, e.currentTarget.value)}
              data-testid={`label-${lang}`}
            />
          ))}
          <TextInput
            label={t('cases.taxonomy.code')}
            description={isNew ? t('cases.taxonomy.codeHint') : t('cases.taxonomy.codeFixed')}
            required
            readOnly={!isNew}
            dir="ltr"
            maxLength={40}
            pattern="[a-z0-9_]{1,40}"
            value={v.code}
            onChange={(e) => setV({ ...v, code: e.currentTarget.value, codeTouched: true })}
            data-testid="entry-code"
          />
          <TaxonomyError error={save.error} onReload={onReload} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cases.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!v.code || (!shipped && Object.keys(labels).length === 0)}
            >
              {t('cases.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DueDays({ settings, onReload }: { settings: SettingsT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const save = useSaveTaxonomy();
  const [days, setDays] = useState<number | string>(settings.taxonomy.decisionDueDays);
  return (
    <Section title={t('cases.taxonomy.dueTitle')} description={t('cases.taxonomy.dueHint')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            taxonomy: { ...settings.taxonomy, decisionDueDays: Number(days) },
            version: settings.version,
          });
        }}
      >
        <Group align="flex-end">
          <NumberInput
            label={t('cases.taxonomy.dueDays')}
            min={0}
            max={3650}
            allowDecimal={false}
            value={days}
            onChange={setDays}
            w={200}
          />
          <Button type="submit" loading={save.isPending}>
            {t('cases.save')}
          </Button>
        </Group>
        <SaveError error={save.error} onReload={onReload} />
      </form>
    </Section>
  );
}
