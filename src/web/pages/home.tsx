import { Card, Group, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { visibleEntries } from '../modules';
import { useHealth, useMe } from '../session';
import { AnchorLink } from '../ui-kit/links';
import { PageHeader } from '../ui-kit/page-header';

export function HomePage(): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const health = useHealth();
  const entries = visibleEntries(me, health.data).filter((e) => !e.navOnly);
  return (
    <>
      <PageHeader
        title={t('home.welcome', { name: me.user.name })}
        description={
          me.activeOrganisation
            ? t('home.activeOrganisation', { organisation: me.activeOrganisation.name })
            : t('home.noOrganisation')
        }
      />
      <section aria-labelledby="home-modules">
        <Title order={2} id="home-modules" size="h3" mb="sm">
          {t('home.modules')}
        </Title>
        {entries.length === 0 ? (
          <Text>{t('home.nothing')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            {entries.map((entry) => {
              const Icon = entry.icon;
              return (
                <Card key={entry.id} withBorder padding="lg" radius="md">
                  <Group gap="sm" wrap="nowrap" mb="xs">
                    <ThemeIcon variant="light" size="lg" aria-hidden>
                      <Icon size={20} stroke={1.6} />
                    </ThemeIcon>
                    <Title order={3} size="h4">
                      <AnchorLink to={entry.to} c="inherit" fw="inherit" underline="hover">
                        {entry.label(t)}
                      </AnchorLink>
                    </Title>
                  </Group>
                  {entry.description && (
                    <Text size="sm" c="dimmed">
                      {entry.description(t)}
                    </Text>
                  )}
                </Card>
              );
            })}
          </SimpleGrid>
        )}
      </section>
    </>
  );
}
