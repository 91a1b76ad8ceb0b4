import {
  Button,
  Card,
  Container,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { LANGUAGE_NAMES } from '../../../web/i18n';
import { WCO_REGIONS } from '../../../web/types';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ENTRY_LANGUAGES, ENTRY_TYPES, type EntryLanguage } from '../library.vocab';
import { EntryBadges, LibraryTabs, factorOptions, libraryKey } from './bits';
import type { SearchResultT } from './types';

export function LibrarySearchPage(): ReactNode {
  return (
    <RequirePermission permission="library.read">
      <Search />
    </RequirePermission>
  );
}

interface Filters {
  q: string;
  factor: string | null;
  region: string | null;
  type: string | null;
  language: string | null;
}
const EMPTY: Filters = { q: '', factor: null, region: null, type: null, language: null };

function Search(): ReactNode {
  const { t, i18n } = useTranslation();
  // Each result in the reader's language where the entry is written in it (the server says which).
  const lang = (ENTRY_LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as EntryLanguage)
    : 'en';
  const f = useFormat();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(applied)) if (v) params.set(k, v.trim());
  params.set('lang', lang);
  const qs = params.toString();
  const result = useQuery({
    queryKey: [...libraryKey, 'search', qs],
    queryFn: ({ signal }) => api.get<SearchResultT>(`/api/library/search?${qs}`, { signal }),
  });
  const set = (k: keyof Filters) => (v: string | null) => {
    const next = { ...draft, [k]: v };
    setDraft(next);
    if (k !== 'q') setApplied(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };
  return (
    <Container size="lg" px={0}>
      <PageHeader title={t('library.title')} description={t('library.intro')} />
      <LibraryTabs current="search" />
      <form onSubmit={submit} aria-label={t('library.search')}>
        <Stack gap="sm" mb="lg">
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label={t('library.query')}
              placeholder={t('library.queryPlaceholder')}
              value={draft.q}
              onChange={(e) => set('q')(e.currentTarget.value)}
              maxLength={200}
              data-testid="library-q"
            />
            <Button
              type="submit"
              leftSection={<IconSearch size={16} aria-hidden />}
              data-testid="library-search"
            >
              {t('library.search')}
            </Button>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <Select
              label={t('library.factor')}
              clearable
              value={draft.factor}
              onChange={set('factor')}
              data={factorOptions(t)}
            />
            <Select
              label={t('library.region')}
              clearable
              value={draft.region}
              onChange={set('region')}
              data={WCO_REGIONS.map((r) => ({ value: r, label: t(`platform.regions.${r}` as never) }))}
            />
            <Select
              label={t('library.type')}
              clearable
              value={draft.type}
              onChange={set('type')}
              data={ENTRY_TYPES.map((x) => ({ value: x, label: t(`library.types.${x}`) }))}
            />
            <Select
              label={t('library.language')}
              clearable
              value={draft.language}
              onChange={set('language')}
              data={ENTRY_LANGUAGES.map((x) => ({ value: x, label: LANGUAGE_NAMES[x] }))}
            />
          </SimpleGrid>
        </Stack>
      </form>
      {result.isPending ? (
        <PageLoader />
      ) : result.isError ? (
        <QueryError error={result.error} onRetry={() => result.refetch()} />
      ) : (
        <Stack data-testid="library-results">
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('library.resultCount', { total: result.data.total })}
          </Text>
          {result.data.items.map((e) => (
            <Card key={e.id} withBorder padding="md">
              <Stack gap={6}>
                <Title order={2} size="h4">
                  <AnchorLink to="/library/$id" params={{ id: e.id }} lang={e.shownLanguage} dir="auto">
                    {e.title}
                  </AnchorLink>
                </Title>
                <Text size="sm" c="dimmed">
                  {[
                    e.anonymous ? t('library.anonymous') : e.organisation,
                    e.region ? t(`platform.regions.${e.region}` as never) : null,
                    f.date(e.publishedAt),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
                <Text size="sm" lineClamp={3} lang={e.shownLanguage} dir="auto">
                  {e.summary}
                </Text>
                {e.shownLanguage !== lang && (
                  <Text size="xs" c="dimmed" data-testid="library-result-language">
                    {t('library.shownInOriginal', {
                      wanted: LANGUAGE_NAMES[lang],
                      language: LANGUAGE_NAMES[e.shownLanguage],
                    })}
                  </Text>
                )}
                <EntryBadges type={e.type} language={e.language} factors={e.factors} />
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
    </Container>
  );
}
