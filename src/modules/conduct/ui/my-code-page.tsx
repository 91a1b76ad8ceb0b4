import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Container,
  Group,
  List,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { CodeText, conductKey, today } from './bits';
import type { MyCodeT } from './types';

export function MyCodePage(): ReactNode {
  return (
    <RequirePermission permission="conduct.acknowledge">
      <MyCode />
    </RequirePermission>
  );
}

function MyCode(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [read, setRead] = useState(false);
  const me = useQuery({
    queryKey: [...conductKey, 'me'],
    queryFn: ({ signal }) => api.get<MyCodeT>('/api/conduct/me', { signal }),
  });
  const ack = useMutation({
    mutationFn: (versionId: string) =>
      api.post(`/api/conduct/versions/${versionId}/acknowledge`, { confirm: true }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: conductKey });
      notifySuccess(t('conduct.acknowledgedToast'));
    },
  });
  if (me.isPending) return <PageLoader />;
  if (me.isError) return <QueryError error={me.error} onRetry={() => me.refetch()} />;
  const { code, acknowledgedAt, dueDate, history } = me.data;
  return (
    <Container size="md" px={0}>
      <PageHeader title={t('conduct.myTitle')} description={t('conduct.myIntro')} />
      {!code ? (
        <Text c="dimmed">{t('conduct.noCode')}</Text>
      ) : (
        <Stack>
          <Card withBorder padding="lg">
            <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
              <div>
                <Title order={2} size="h3">
                  {code.title}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('conduct.versionLine', { number: code.number, date: f.date(code.effectiveDate) })}
                </Text>
              </div>
              {acknowledgedAt ? (
                <Badge color="teal" variant="light" leftSection={<IconCircleCheck size={14} aria-hidden />}>
                  {t('conduct.acknowledgedBadge')}
                </Badge>
              ) : dueDate ? (
                <Badge color={dueDate < today() ? 'red' : 'orange'} variant="light">
                  {t('conduct.dueBy', { date: f.date(dueDate) })}
                </Badge>
              ) : null}
            </Group>
            <CodeText
              code={code}
              pdfHref={code.hasPdf ? `/api/conduct/versions/${code.id}/pdf` : undefined}
            />
          </Card>
          {acknowledgedAt ? (
            <Alert color="teal" icon={<IconCircleCheck aria-hidden />} data-testid="conduct-acknowledged">
              {t('conduct.acknowledgedOn', { date: f.dateTime(acknowledgedAt), number: code.number })}
            </Alert>
          ) : (
            <Card withBorder padding="lg" data-testid="conduct-acknowledge-card">
              <Stack>
                <Checkbox
                  label={t('conduct.confirmRead', { number: code.number })}
                  checked={read}
                  onChange={(e) => setRead(e.currentTarget.checked)}
                  data-testid="conduct-confirm"
                />
                <ProblemAlert error={ack.error} />
                <Group>
                  <Button
                    disabled={!read}
                    loading={ack.isPending}
                    onClick={() => ack.mutate(code.id)}
                    data-testid="conduct-acknowledge"
                  >
                    {t('conduct.acknowledge')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          )}
          {history.length > 0 && (
            <div>
              <Title order={2} size="h4" mb="xs">
                {t('conduct.historyTitle')}
              </Title>
              <List size="sm">
                {history.map((h) => (
                  <List.Item key={h.versionId}>
                    {t('conduct.historyLine', {
                      number: h.number,
                      title: h.title,
                      date: f.dateTime(h.acknowledgedAt),
                    })}
                  </List.Item>
                ))}
              </List>
            </div>
          )}
        </Stack>
      )}
    </Container>
  );
}
