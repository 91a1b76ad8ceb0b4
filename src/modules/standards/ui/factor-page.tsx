import { Anchor, Badge, Code, Divider, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconArrowRight } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChecklistItemT } from '../../../web/types';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { UncacChips, VerificationBadge, VerificationNotice, evidenceLabel } from './bits';
import { useFactor } from './queries';
import { ButtonLink } from '../../../web/ui-kit/links';

const route = getRouteApi('/app/standards/factors/$number');

function ItemCard({ item }: { item: ChecklistItemT }): ReactNode {
  const { t } = useTranslation();
  const titleId = `item-${item.refId}`;
  return (
    <Paper withBorder p="md" radius="md" component="li" aria-labelledby={titleId}>
      <Stack gap="xs">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Code fz="sm" fw={700} style={{ flexShrink: 0 }}>
            {item.refId}
          </Code>
          <Text fw={600} id={titleId} fz="md" m={0} dir="auto">
            {item.name}
          </Text>
        </Group>
        {item.guidance && (
          <Text size="sm">
            <Text span fw={600} size="sm">
              {t('standards.guidance')}:{' '}
            </Text>
            <span dir="auto">{item.guidance}</span>
          </Text>
        )}
        {item.typicalEvidence.length > 0 && (
          <Group gap={6}>
            <Text size="sm" fw={600}>
              {t('standards.typicalEvidence')}:
            </Text>
            {item.typicalEvidence.map((e) => (
              <Badge key={e} variant="light" color="gray" tt="none">
                {evidenceLabel(t, e)}
              </Badge>
            ))}
          </Group>
        )}
        <UncacChips refs={item.uncac} label={t('standards.itemUncac', { ref: item.refId })} />
      </Stack>
    </Paper>
  );
}

export function FactorPage(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { number } = route.useParams();
  const factor = useFactor(number);
  const prev = number > 1 ? number - 1 : null;
  const next = number < 10 ? number + 1 : null;

  const pager = (
    <nav aria-label={t('standards.factorPager')}>
      <Group justify="space-between">
        {prev ? (
          <ButtonLink
            to="/standards/factors/$number"
            params={{ number: prev }}
            variant="default"
            leftSection={<IconArrowLeft size={16} aria-hidden className="flip-rtl" />}
          >
            {t('standards.previousFactor', { number: fmt.number(prev) })}
          </ButtonLink>
        ) : (
          <span />
        )}
        {next && (
          <ButtonLink
            to="/standards/factors/$number"
            params={{ number: next }}
            variant="default"
            rightSection={<IconArrowRight size={16} aria-hidden className="flip-rtl" />}
          >
            {t('standards.nextFactor', { number: fmt.number(next) })}
          </ButtonLink>
        )}
      </Group>
    </nav>
  );

  const crumbs = [{ label: t('standards.title'), to: '/standards' as const }];

  if (factor.isPending)
    return (
      <>
        <PageHeader title={t('standards.factorNumber', { number: fmt.number(number) })} crumbs={crumbs} />
        <PageLoader />
      </>
    );
  if (factor.isError)
    return (
      <>
        <PageHeader title={t('standards.factorNumber', { number: fmt.number(number) })} crumbs={crumbs} />
        <QueryError error={factor.error} onRetry={() => void factor.refetch()} />
      </>
    );
  const f = factor.data;
  return (
    <RequirePermission permission="standards.read">
      <PageHeader
        title={f.name}
        crumbs={crumbs}
        before={
          <Badge size="xl" circle variant="filled" aria-hidden>
            {fmt.number(f.number)}
          </Badge>
        }
        description={f.description ? <span dir="auto">{f.description}</span> : undefined}
        actions={<VerificationBadge value={f.verification} />}
      />
      <Stack gap="lg">
        <UncacChips refs={f.uncac} />
        <VerificationNotice value={f.verification} />

        <section aria-labelledby="expectations-title">
          <Title order={2} size="h3" id="expectations-title" mb="sm">
            {t('standards.expectations')}
          </Title>
          {f.expectations.length === 0 ? (
            <Text size="sm">{t('standards.noExpectations')}</Text>
          ) : (
            <List spacing="xs">
              {f.expectations.map((e) => (
                <List.Item key={e}>
                  <span dir="auto">{e}</span>
                </List.Item>
              ))}
            </List>
          )}
          {f.source && (
            <Text size="sm" mt="sm">
              {t('standards.source')}:{' '}
              {/^https?:\/\//.test(f.source) ? (
                <Anchor href={f.source} target="_blank" rel="noreferrer noopener">
                  {f.source}
                </Anchor>
              ) : (
                f.source
              )}
            </Text>
          )}
        </section>

        <section aria-labelledby="items-title">
          <Title order={2} size="h3" id="items-title" mb="sm">
            {t('standards.checklist', { count: f.items.length })}
          </Title>
          {f.items.length === 0 ? (
            <Text size="sm">{t('standards.noItems')}</Text>
          ) : (
            <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {f.items.map((item) => (
                <ItemCard key={item.urn} item={item} />
              ))}
            </Stack>
          )}
        </section>

        <Paper withBorder p="md" radius="md" component="aside" aria-label={t('standards.library')}>
          <Text size="sm" fw={600}>
            {t('standards.libraryLine', { name: f.library.name, version: fmt.number(f.library.version) })}
          </Text>
          {f.library.notice && (
            <Text size="sm" c="dimmed" mt={4} dir="auto">
              {f.library.notice}
            </Text>
          )}
        </Paper>
        <Divider />
        {pager}
      </Stack>
    </RequirePermission>
  );
}
