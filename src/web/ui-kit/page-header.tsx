import { Anchor, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, type LinkProps } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Crumb {
  label: string;
  to: NonNullable<LinkProps['to']>;
  params?: LinkProps['params'];
}

/** The page's h1, its document title, optional breadcrumbs, description and actions. */
export function PageHeader(props: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
  before?: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  useDocumentTitle(`${props.title} · ${t('app.name')}`);
  return (
    <Stack gap="xs" mb="lg">
      {props.crumbs && props.crumbs.length > 0 && (
        <nav aria-label={t('common.breadcrumbs')}>
          <Breadcrumbs separatorMargin={6}>
            {props.crumbs.map((c) => (
              <Anchor key={c.label} component={Link} to={c.to} params={c.params as never} size="sm">
                {c.label}
              </Anchor>
            ))}
          </Breadcrumbs>
        </nav>
      )}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap" align="center">
          {props.before}
          <Title order={1} fz={{ base: 'h2', sm: 'h1' }}>
            {props.title}
          </Title>
        </Group>
        {props.actions && <Group gap="xs">{props.actions}</Group>}
      </Group>
      {props.description && (
        <Text c="dimmed" maw="70ch">
          {props.description}
        </Text>
      )}
    </Stack>
  );
}
