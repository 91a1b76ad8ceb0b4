import {
  ActionIcon,
  Box,
  Button,
  Divider,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useFormat } from '../ui-kit/format';

// The bell in the header: unread count, the latest notifications, click → read and go.
// Contract: GET /api/me/notifications (src/platform/notify/notify.routes.ts).

interface NotificationItem {
  id: string;
  kind: string;
  message: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}
interface NotificationList {
  items: NotificationItem[];
  unread: number;
}

const QUERY_KEY = ['me', 'notifications'] as const;

export function NotificationsBell(): ReactNode {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const list = useQuery({
    // The messages are rendered by the server in the UI language.
    queryKey: [...QUERY_KEY, i18n.language],
    queryFn: ({ signal }) => api.get<NotificationList>('/api/me/notifications', { signal }),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
    staleTime: 15_000,
  });
  const invalidate = () => qc.invalidateQueries({ queryKey: QUERY_KEY });
  const markRead = useMutation({
    mutationFn: (id: string) => api.post<void>(`/api/me/notifications/${id}/read`),
    onSettled: invalidate,
  });
  const markAll = useMutation({
    mutationFn: () => api.post<{ changed: number }>('/api/me/notifications/read-all'),
    onSettled: invalidate,
  });
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  const open = (n: NotificationItem) => {
    setOpened(false);
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link?.startsWith('/') && !n.link.startsWith('//')) void navigate({ to: n.link });
  };

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={360}
      shadow="md"
      withinPortal
      zIndex={400}
      trapFocus
      returnFocus
      // The button carries its own aria-haspopup/expanded; Popover would put them on the
      // Indicator <div> around it, where they are not allowed (axe aria-allowed-attr).
      withRoles={false}
    >
      <Popover.Target>
        <Indicator
          label={unread > 99 ? '99+' : unread}
          disabled={unread === 0}
          size={16}
          offset={6}
          color="red"
          inline
        >
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            data-testid="notifications-bell"
            aria-label={unread > 0 ? t('notifications.bellUnread', { n: unread }) : t('notifications.bell')}
            aria-haspopup="dialog"
            aria-expanded={opened}
            onClick={() => setOpened((o) => !o)}
          >
            <IconBell size={20} stroke={1.6} aria-hidden />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} aria-label={t('notifications.title')} role="dialog">
        <Group justify="space-between" px="sm" py="xs" wrap="nowrap">
          <Text fw={600} size="sm" component="h2" m={0}>
            {t('notifications.title')}
          </Text>
          {unread > 0 && (
            <Button
              variant="subtle"
              size="compact-xs"
              onClick={() => markAll.mutate()}
              loading={markAll.isPending}
              data-testid="notifications-read-all"
            >
              {t('notifications.markAllRead')}
            </Button>
          )}
        </Group>
        <Divider />
        {list.isError ? (
          <Text size="sm" c="red" p="sm" role="alert">
            {t('notifications.loadFailed')}
          </Text>
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed" p="sm">
            {list.isPending ? t('notifications.loading') : t('notifications.empty')}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420} type="auto">
            <Stack gap={0} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {items.map((n) => (
                <Box component="li" key={n.id}>
                  <UnstyledButton
                    onClick={() => open(n)}
                    w="100%"
                    px="sm"
                    py="xs"
                    data-testid="notification-item"
                    data-unread={n.readAt ? undefined : 'true'}
                    style={{
                      display: 'block',
                      borderBottom: '1px solid var(--mantine-color-default-border)',
                      background: n.readAt ? undefined : 'var(--mantine-primary-color-light)',
                    }}
                  >
                    <Group gap="xs" wrap="nowrap" align="flex-start">
                      <Box
                        aria-hidden
                        mt={6}
                        style={{
                          flex: 'none',
                          width: 8,
                          height: 8,
                          borderRadius: '50%',
                          background: n.readAt ? 'transparent' : 'var(--mantine-color-red-filled)',
                        }}
                      />
                      <Box style={{ minWidth: 0 }}>
                        <Text size="sm" fw={n.readAt ? 400 : 600} style={{ overflowWrap: 'anywhere' }}>
                          {!n.readAt && <VisuallyHidden>{t('notifications.new')} </VisuallyHidden>}
                          {n.message}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {fmt.dateTime(n.createdAt)}
                        </Text>
                      </Box>
                    </Group>
                  </UnstyledButton>
                </Box>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
