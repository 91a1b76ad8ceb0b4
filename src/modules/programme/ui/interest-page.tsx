import {
  Anchor,
  Button,
  Container,
  FileInput,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, upload } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ActivitiesTable, programmeKey, StatusBadge } from './bits';
import { EOI_ACCEPT, SharedReports, useRadFactors } from './records';
import { PlanSection } from './plan-section';
import type { EoiT, MineT } from './types';

export function ProgrammeInterestPage(): ReactNode {
  return (
    <RequirePermission permission="programme.submit">
      <Interest />
    </RequirePermission>
  );
}

function Interest(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const mine = useQuery({
    queryKey: [...programmeKey, 'mine'],
    queryFn: ({ signal }) => api.get<MineT>('/api/programme/mine', { signal }),
  });
  return (
    <Container size="lg" px={0}>
      <PageHeader title={t('programme.interestTitle')} description={t('programme.interestIntro')} />
      <Stack gap="xl">
        {mine.isPending ? (
          <PageLoader />
        ) : mine.isError ? (
          <QueryError error={mine.error} onRetry={() => mine.refetch()} />
        ) : (
          <>
            {mine.data.eois.length > 0 && (
              <Stack>
                <Title order={2} size="h4">
                  {t('programme.mineTitle')}
                </Title>
                <Table data-testid="programme-mine">
                  <Table.Tbody>
                    {mine.data.eois.map((e) => (
                      <Table.Tr key={e.id}>
                        <Table.Td>
                          <Anchor
                            component={Link}
                            to={`/programme/interest/${e.id}`}
                            size="sm"
                            data-testid="programme-mine-open"
                          >
                            {t('programme.submittedOn', { date: f.date(e.submittedAt) })}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge status={e.status} />
                        </Table.Td>
                        <Table.Td>
                          {e.events.map((v) => (
                            <Text size="xs" key={v.at}>
                              {f.date(v.decidedOn)}: {t(`programme.status.${v.to}`)} — {v.reason}
                            </Text>
                          ))}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Stack>
            )}
            {mine.data.partnerships.map((p) => (
              <Paper withBorder p="md" key={p.id}>
                <Title order={2} size="h4">
                  {t('programme.partnershipTitle')}
                </Title>
                <Text size="sm">
                  {t('programme.period')}: {f.date(p.startsOn)} – {f.date(p.endsOn)} ·{' '}
                  {t('programme.coordinatorName')}: {p.coordinatorName}
                </Text>
                <Anchor component={Link} to={`/programme/results/${p.id}`} size="sm">
                  {t('programme.results.title')}
                </Anchor>
                <Stack mt="md">
                  <PlanSection base="/api/programme/mine/partnerships" id={p.id} manage={false} />
                </Stack>
              </Paper>
            ))}
            {mine.data.activities.length > 0 && (
              <Stack gap="xs">
                <Title order={2} size="h4">
                  {t('programme.activitiesTitle')}
                </Title>
                <ActivitiesTable
                  items={mine.data.activities}
                  reports={(a) => <SharedReports reader="mine" activityId={a.id} />}
                />
              </Stack>
            )}
          </>
        )}
        <EoiForm />
      </Stack>
    </Container>
  );
}

function EoiForm(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [headName, setHeadName] = useState('');
  const [headTitle, setHeadTitle] = useState('');
  const [endorsedOn, setEndorsedOn] = useState('');
  const [priorities, setPriorities] = useState<{ factor: number; note: string }[]>([{ factor: 1, note: '' }]);
  const [initiatives, setInitiatives] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactEmail, setContactEmail] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const factors = useRadFactors();
  const submit = useMutation({
    // The EOI, then its files (accepted while it is received: before the Secretariat screens it).
    mutationFn: async () => {
      const eoi = await api.post<EoiT>('/api/programme/eois', {
        headName: headName.trim(),
        headTitle: headTitle.trim(),
        endorsedOn,
        priorities,
        initiatives,
        contactName: contactName.trim(),
        contactEmail: contactEmail.trim(),
        contactPhone: contactPhone.trim() || null,
      });
      for (const file of files)
        await upload('/api/programme/eoi-attachments', file, { fields: { eoiId: eoi.id } });
      return eoi;
    },
    onSuccess: () => {
      setFiles([]);
      notifySuccess(t('programme.submitted'));
    },
    // A file refused after the EOI was stored still shows the EOI in the list above.
    onSettled: () => qc.invalidateQueries({ queryKey: programmeKey }),
  });
  const setPriority = (i: number, p: Partial<{ factor: number; note: string }>) =>
    setPriorities((l) => l.map((x, j) => (j === i ? { ...x, ...p } : x)));
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group grow>
          <TextInput
            label={t('programme.headName')}
            value={headName}
            onChange={(e) => setHeadName(e.currentTarget.value)}
            required
            data-testid="programme-head-name"
          />
          <TextInput
            label={t('programme.headTitle')}
            value={headTitle}
            onChange={(e) => setHeadTitle(e.currentTarget.value)}
            required
            data-testid="programme-head-title"
          />
          <TextInput
            type="date"
            label={t('programme.endorsedOn')}
            value={endorsedOn}
            onChange={(e) => setEndorsedOn(e.currentTarget.value)}
            required
            data-testid="programme-endorsed-on"
          />
        </Group>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t('programme.priorities')}
          </Text>
          {priorities.map((p, i) => (
            <Group key={i} align="flex-end">
              <Select
                label={t('programme.records.factor')}
                w={360}
                data={factors.items.map((x) => ({
                  value: String(x.factor),
                  label: factors.name(x.factor),
                  disabled: x.factor !== p.factor && priorities.some((o) => o.factor === x.factor),
                }))}
                value={String(p.factor)}
                onChange={(v) => v && setPriority(i, { factor: Number(v) })}
                allowDeselect={false}
                data-testid={`programme-priority-factor-${i}`}
              />
              <TextInput
                label={t('programme.priorityNote')}
                value={p.note}
                onChange={(e) => setPriority(i, { note: e.currentTarget.value })}
                style={{ flex: 1 }}
              />
              <Button
                variant="subtle"
                color="red"
                aria-label={t('programme.removePriority', { n: factors.name(p.factor) })}
                disabled={priorities.length === 1}
                onClick={() => setPriorities((l) => l.filter((_, j) => j !== i))}
              >
                <IconTrash size={16} aria-hidden />
              </Button>
            </Group>
          ))}
          <Group>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden />}
              disabled={priorities.length >= 10}
              onClick={() =>
                setPriorities((l) => {
                  const free = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].find((n) => !l.some((x) => x.factor === n));
                  return free ? [...l, { factor: free, note: '' }] : l;
                })
              }
            >
              {t('programme.addPriority')}
            </Button>
          </Group>
        </Stack>
        <Textarea
          label={t('programme.initiatives')}
          value={initiatives}
          onChange={(e) => setInitiatives(e.currentTarget.value)}
          autosize
          minRows={3}
        />
        <Group grow>
          <TextInput
            label={t('programme.contactName')}
            value={contactName}
            onChange={(e) => setContactName(e.currentTarget.value)}
            required
            data-testid="programme-contact-name"
          />
          <TextInput
            type="email"
            label={t('programme.contactEmail')}
            value={contactEmail}
            onChange={(e) => setContactEmail(e.currentTarget.value)}
            required
            data-testid="programme-contact-email"
          />
          <TextInput
            label={t('programme.contactPhone')}
            value={contactPhone}
            onChange={(e) => setContactPhone(e.currentTarget.value)}
          />
        </Group>
        <FileInput
          multiple
          clearable
          label={t('programme.records.attachments')}
          description={t('programme.records.eoiFilesHint')}
          accept={EOI_ACCEPT}
          value={files}
          onChange={setFiles}
          data-testid="programme-eoi-files-input"
        />
        <ProblemAlert error={submit.error} />
        <Group>
          <Button onClick={() => submit.mutate()} loading={submit.isPending} data-testid="programme-submit">
            {t('programme.submit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
