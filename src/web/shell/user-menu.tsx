import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconUser, IconUserCircle } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../session';
import { useSignOut } from './use-sign-out';

export function UserMenu({ compact = false }: { compact?: boolean }): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" width={220} withinPortal zIndex={400} withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <UnstyledButton
          data-testid="user-menu"
          aria-label={t('shell.userMenu', { name: me.user.name })}
          p={4}
        >
          <Group gap={6} wrap="nowrap">
            <Avatar size={30} radius="xl" color="blue" variant="filled" aria-hidden>
              <IconUser size={18} aria-hidden />
            </Avatar>
            {!compact && (
              <Text size="sm" fw={500} maw={160} truncate="end">
                {me.user.name}
              </Text>
            )}
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.user.email}</Menu.Label>
        <Menu.Item
          leftSection={<IconUserCircle size={16} aria-hidden />}
          renderRoot={(props) => <Link to="/account" {...props} />}
        >
          {t('shell.account')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
          {t('shell.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
