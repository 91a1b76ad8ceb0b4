import { Accordion, Alert, Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../api';
import type { OutboxMessage } from '../types';
import { useFormat } from '../ui-kit/format';
import { PageHeader } from '../ui-kit/page-header';
import { PageLoader, QueryError } from '../ui-kit/page-state';

const URL_PATTERN = /(https?:\/\/[^\s<>"')]+)/g;

/** Plain text with its http(s) links made clickable. */
export function Linkified({ text }: { text: string }): ReactNode {
  // Odd parts of the split are the URLs; a part's offset in the text is a stable key.
  let offset = 0;
  const nodes = text.split(URL_PATTERN).map((part, i) => {
    const key = offset;
    offset += part.length;
    return i % 2 === 1 ? (
      <Anchor key={`u${key}`} href={part}>
        {part}
      </Anchor>
    ) : (
      <Fragment key={`t${key}`}>{part}</Fragment>
    );
  });
  return (
    <Text component="div" size="sm" className="pre-wrap">
      {nodes}
    </Text>
  );
}

export function DevOutboxPage(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const outbox = useQuery({
    queryKey: ['dev', 'outbox'],
    queryFn: ({ signal }) => api.get<Items<OutboxMessage>>('/api/dev/outbox', { signal }),
    refetchInterval: 5000,
  });
  return (
    <>
      <PageHeader
        title={t('devOutbox.title')}
        description={t('devOutbox.description')}
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} aria-hidden />}
            onClick={() => void outbox.refetch()}
            loading={outbox.isFetching}
          >
            {t('common.refresh')}
          </Button>
        }
      />
      {outbox.isPending ? (
        <PageLoader />
      ) : outbox.isError ? (
        <QueryError error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : outbox.data.items.length === 0 ? (
        <Alert variant="light">{t('devOutbox.empty')}</Alert>
      ) : (
        <Accordion variant="separated" multiple defaultValue={outbox.data.items.slice(0, 1).map((m) => m.id)}>
          {outbox.data.items.map((m) => (
            <Accordion.Item key={m.id} value={m.id}>
              <Accordion.Control>
                <Stack gap={2}>
                  <Text fw={600}>{m.subject}</Text>
                  <Group gap="xs">
                    <Badge variant="light" tt="none">
                      {m.to}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {fmt.dateTime(m.createdAt)}
                    </Text>
                  </Group>
                </Stack>
              </Accordion.Control>
              <Accordion.Panel>
                <Linkified text={m.body} />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </>
  );
}
