import { Badge, Button, Container, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { surveysKey, useSurveys, useTemplates } from './queries';
import type { SurveyDetailT, SurveyListItemT } from './types';

export function SurveysPage(): ReactNode {
  return (
    <RequirePermission permission="surveys.results">
      <Surveys />
    </RequirePermission>
  );
}

export const statusColor = { draft: 'gray', open: 'teal', closed: 'blue' } as const;

function Surveys(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const manage = useCan('surveys.manage');
  const list = useSurveys();
  const [creating, setCreating] = useState(false);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('surveys.title')}
        description={t('surveys.intro')}
        actions={
          manage && (
            <Button onClick={() => setCreating(true)} data-testid="survey-new">
              {t('surveys.new')}
            </Button>
          )
        }
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={list.refetch} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('surveys.empty')}</Text>
      ) : (
        <ScrollTable minWidth={720} label={t('surveys.title')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('surveys.name')}</Table.Th>
                <Table.Th>{t('surveys.iteration')}</Table.Th>
                <Table.Th>{t('surveys.audience')}</Table.Th>
                <Table.Th>{t('surveys.status')}</Table.Th>
                <Table.Th>{t('surveys.responses')}</Table.Th>
                <Table.Th>{t('surveys.openedOn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((s: SurveyListItemT) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <AnchorLink to={manage ? '/surveys/$id' : '/surveys/$id/results'} params={{ id: s.id }}>
                      {s.name}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>{s.iteration}</Table.Td>
                  <Table.Td>{t(`surveys.audiences.${s.audience}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColor[s.status]} variant="light">
                      {t(`surveys.statuses.${s.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{f.number(s.responses)}</Table.Td>
                  <Table.Td>{s.openedOn ? f.date(s.openedOn) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {creating && <CreateModal surveys={list.data?.items ?? []} onClose={() => setCreating(false)} />}
    </Container>
  );
}

function CreateModal({ surveys, onClose }: { surveys: SurveyListItemT[]; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const templates = useTemplates(true);
  const [slug, setSlug] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [previous, setPrevious] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post<SurveyDetailT>('/api/surveys', {
        templateSlug: slug,
        name,
        ...(previous ? { previousSurveyId: previous } : {}),
      }),
    onSuccess: (s) => {
      qc.invalidateQueries({ queryKey: surveysKey });
      navigate({ to: '/surveys/$id', params: { id: s.id } } as never);
    },
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={t('surveys.new')}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="sm">
          <Select
            label={t('surveys.template')}
            data={(templates.data?.items ?? []).map((x) => ({
              value: x.slug,
              label: `${x.title} (${x.questionCount})`,
            }))}
            value={slug}
            onChange={setSlug}
            required
            data-testid="survey-template"
          />
          {slug && (
            <Text size="sm" c="dimmed">
              {templates.data?.items.find((x) => x.slug === slug)?.summary}
            </Text>
          )}
          <TextInput
            label={t('surveys.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            data-testid="survey-name"
          />
          <Select
            label={t('surveys.previous')}
            description={t('surveys.previousHelp')}
            data={surveys.map((s) => ({ value: s.id, label: `${s.name} (${s.iteration})` }))}
            value={previous}
            onChange={setPrevious}
            clearable
          />
          {create.isError && <ProblemAlert error={create.error} />}
          <Button
            type="submit"
            loading={create.isPending}
            disabled={!slug || !name.trim()}
            data-testid="survey-create"
          >
            {t('surveys.create')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
