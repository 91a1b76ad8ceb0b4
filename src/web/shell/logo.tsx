import { Group, Text, UnstyledButton } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function Mark(): ReactNode {
  return (
    <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-primary-color-filled)" />
      <path d="M16 5 7 9v6c0 6 4 10.5 9 12 5-1.5 9-6 9-12V9z" fill="#fff" />
      <path
        d="m12 16 3 3 5-6"
        fill="none"
        stroke="var(--mantine-primary-color-filled)"
        strokeWidth="2.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function Logo({ linked = true }: { linked?: boolean }): ReactNode {
  const { t } = useTranslation();
  const content = (
    <Group gap={8} wrap="nowrap">
      <Mark />
      <Text fw={700} fz="lg" lh={1}>
        {t('app.name')}
      </Text>
    </Group>
  );
  if (!linked) return content;
  return (
    <UnstyledButton component={Link} to="/" aria-label={t('shell.homeLink')}>
      {content}
    </UnstyledButton>
  );
}
