import { Anchor, Box, Container, Group } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { meQuery } from '../session';
import { AppLayout } from './app-layout';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { LanguageSwitcher } from './language-switcher';
import { Logo } from './logo';

/** The app shell when signed in; a plain page with a header otherwise. */
export function OpenLayout(): ReactNode {
  const { t } = useTranslation();
  const me = useQuery(meQuery).data;
  if (me) return <AppLayout />;
  return (
    <Box mih="100dvh">
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <Box
        component="header"
        px="md"
        py="sm"
        style={{ borderBlockEnd: '1px solid var(--mantine-color-default-border)' }}
      >
        <Group justify="space-between" wrap="nowrap">
          <Logo linked={false} />
          <Group gap="xs" wrap="nowrap">
            <Anchor component={Link} to="/login" size="sm">
              {t('login.submit')}
            </Anchor>
            <LanguageSwitcher w={140} />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </Box>
      <Container component="main" id="main" tabIndex={-1} size="lg" py="lg">
        <Outlet />
      </Container>
    </Box>
  );
}
