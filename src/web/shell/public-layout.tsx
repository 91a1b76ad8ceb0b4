import { Box, Center, Container, Group, Paper } from '@mantine/core';
import { Outlet } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { LanguageSwitcher } from './language-switcher';
import { Logo } from './logo';

/** Signed-out pages (sign-in, password reset, invitation): one centred card. */
export function PublicLayout(): ReactNode {
  const { t } = useTranslation();
  return (
    <Box mih="100dvh" bg="var(--mantine-color-default-hover)">
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <Box component="header" px="md" py="sm">
        <Group justify="space-between" wrap="nowrap">
          <Logo linked={false} />
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitcher w={140} />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </Box>
      <Center component="main" id="main" tabIndex={-1} px="md" py={{ base: 'md', sm: 'xl' }}>
        <Container size={440} w="100%" p={0}>
          <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="md">
            <Outlet />
          </Paper>
        </Container>
      </Center>
    </Box>
  );
}
