import { Alert, Button, Card, Checkbox, Container, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { CodeText } from './bits';
import type { PublicCodeT } from './types';

/** The private-sector code behind a one-time link: no sign-in. */
export function PublicCodePage(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const { token } = useParams({ strict: false }) as { token: string };
  const [signatory, setSignatory] = useState('');
  const [read, setRead] = useState(false);
  const key = ['conduct', 'public', token];
  const code = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<PublicCodeT>(`/api/conduct/public/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });
  const ack = useMutation({
    mutationFn: () =>
      api.post(`/api/conduct/public/${encodeURIComponent(token)}/acknowledge`, {
        signatory: signatory.trim(),
        confirm: true,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  if (code.isPending) return <PageLoader />;
  if (code.isError) return <QueryError error={code.error} />;
  const c = code.data;
  return (
    <Container size="md" py="lg">
      <PageHeader
        title={c.title}
        description={t('conduct.publicIntro', { organisation: c.organisation, party: c.party })}
      />
      <Stack>
        <Card withBorder padding="lg">
          <Text size="sm" c="dimmed" mb="sm">
            {t('conduct.versionLine', { number: c.number, date: f.date(c.effectiveDate) })}
          </Text>
          <CodeText code={c} />
        </Card>
        {c.acknowledgedAt ? (
          <Alert color="teal" icon={<IconCircleCheck aria-hidden />}>
            {t('conduct.publicDone', { date: f.dateTime(c.acknowledgedAt) })}
          </Alert>
        ) : (
          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="sm">
              {t('conduct.acknowledge')}
            </Title>
            <Stack>
              <TextInput
                label={t('conduct.signatory')}
                required
                value={signatory}
                onChange={(e) => setSignatory(e.currentTarget.value)}
              />
              <Checkbox
                label={t('conduct.publicConfirm', { party: c.party })}
                checked={read}
                onChange={(e) => setRead(e.currentTarget.checked)}
              />
              <ProblemAlert error={ack.error} />
              <Button
                disabled={!read || !signatory.trim()}
                loading={ack.isPending}
                onClick={() => ack.mutate()}
              >
                {t('conduct.acknowledge')}
              </Button>
            </Stack>
          </Card>
        )}
      </Stack>
    </Container>
  );
}
