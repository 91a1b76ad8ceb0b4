import { Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { VerificationBadge, VerificationNotice } from './bits';
import { useUncacArticle, useUncacArticles } from './queries';
import { AnchorLink, BadgeLink } from '../../../web/ui-kit/links';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';

const articleRoute = getRouteApi('/app/standards/uncac/$code');

export function UncacListPage(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const articles = useUncacArticles();
  return (
    <>
      <PageHeader
        title={t('uncac.title')}
        description={t('uncac.intro')}
        crumbs={[{ label: t('standards.title'), to: '/standards' }]}
      />
      <RequirePermission permission="standards.read">
        {articles.isPending ? (
          <PageLoader />
        ) : articles.isError ? (
          <QueryError error={articles.error} onRetry={() => void articles.refetch()} />
        ) : (
          <ScrollTable minWidth={640} label={t('uncac.title')}>
            <Table striped highlightOnHover verticalSpacing="sm">
              <Table.Caption>{t('uncac.caption', { count: articles.data.items.length })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('uncac.article')}</Table.Th>
                  <Table.Th scope="col">{t('uncac.articleTitle')}</Table.Th>
                  <Table.Th scope="col">{t('uncac.verification')}</Table.Th>
                  <Table.Th scope="col">{t('uncac.factors')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {articles.data.items.map((a) => (
                  <Table.Tr key={a.code}>
                    <Table.Td>
                      <AnchorLink to="/standards/uncac/$code" params={{ code: a.code }} fw={600}>
                        {t('standards.uncacShort', { code: a.code })}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td dir="auto">{a.title}</Table.Td>
                    <Table.Td>
                      <VerificationBadge value={a.verification} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {a.factors.map((f) => (
                          <BadgeLink
                            key={f.number}
                            to="/standards/factors/$number"
                            params={{ number: f.number }}
                            variant="light"
                            tt="none"
                            title={f.name}
                            aria-label={`${t('standards.factorNumber', { number: fmt.number(f.number) })}: ${f.name}`}
                          >
                            {fmt.number(f.number)}
                          </BadgeLink>
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </RequirePermission>
    </>
  );
}

export function UncacArticlePage(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { code } = articleRoute.useParams();
  const article = useUncacArticle(code);
  const crumbs = [
    { label: t('standards.title'), to: '/standards' as const },
    { label: t('uncac.title'), to: '/standards/uncac' as const },
  ];
  const heading = t('uncac.articleHeading', { code });
  if (article.isPending)
    return (
      <>
        <PageHeader title={heading} crumbs={crumbs} />
        <PageLoader />
      </>
    );
  if (article.isError)
    return (
      <>
        <PageHeader title={heading} crumbs={crumbs} />
        <QueryError error={article.error} onRetry={() => void article.refetch()} />
      </>
    );
  const a = article.data;
  return (
    <RequirePermission permission="standards.read">
      <PageHeader
        title={heading}
        description={<span dir="auto">{a.title}</span>}
        crumbs={crumbs}
        actions={<VerificationBadge value={a.verification} />}
      />
      <Stack gap="lg" maw={820}>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="uncac-summary">
          <Title order={2} size="h4" id="uncac-summary" mb="xs">
            {t('uncac.summary')}
          </Title>
          <Text dir="auto">{a.summary}</Text>
        </Paper>
        <VerificationNotice value={a.verification} />
        <section aria-labelledby="uncac-factors">
          <Title order={2} size="h3" id="uncac-factors" mb="sm">
            {t('uncac.mappedFactors')}
          </Title>
          {a.factors.length === 0 ? (
            <Text size="sm">{t('uncac.noFactors')}</Text>
          ) : (
            <List spacing="xs">
              {a.factors.map((f) => (
                <List.Item key={f.number}>
                  <AnchorLink to="/standards/factors/$number" params={{ number: f.number }}>
                    {t('standards.factorNumber', { number: fmt.number(f.number) })}: {f.name}
                  </AnchorLink>
                </List.Item>
              ))}
            </List>
          )}
        </section>
      </Stack>
    </RequirePermission>
  );
}
