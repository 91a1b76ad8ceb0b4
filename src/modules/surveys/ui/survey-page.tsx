import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Container,
  Group,
  NumberInput,
  MultiSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useMembers, useUnits } from '../../../web/directory';
import { useFormat } from '../../../web/ui-kit/format';
import { ButtonLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { type INVITE_TARGETS, PARTICIPATION } from '../surveys.vocab';
import { bandKey } from './keys';
import { surveysKey, useSurvey } from './queries';
import { statusColor } from './surveys-page';
import { Translations } from './translations';
import type { SurveyDetailT, TokensResultT } from './types';

export function SurveyPage(): ReactNode {
  return (
    <RequirePermission permission="surveys.manage">
      <Survey />
    </RequirePermission>
  );
}

function Survey(): ReactNode {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { id } = useParams({ strict: false }) as { id: string };
  const q = useSurvey(id);
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: (x: { path: string; body: unknown; patch?: boolean }) =>
      x.patch ? api.patch<SurveyDetailT>(x.path, x.body) : api.post<SurveyDetailT>(x.path, x.body),
    onSuccess: (s) => {
      if (s && 'questions' in s) qc.setQueryData([...surveysKey, 'detail', id], s);
      qc.invalidateQueries({ queryKey: surveysKey });
    },
  });
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={q.refetch} />;
  const s = q.data;
  const draft = s.status === 'draft';
  const lang = s.languages.includes(i18n.language) ? i18n.language : (s.languages[0] ?? 'en');
  const patch = (body: Record<string, unknown>) =>
    act.mutate({ path: `/api/surveys/${id}`, body: { version: s.version, ...body }, patch: true });
  const openUrl = s.openPath ? `${window.location.origin}${s.openPath}` : null;
  return (
    <Container size="lg" px={0}>
      <PageHeader
        title={s.name}
        crumbs={[{ label: t('surveys.title'), to: '/surveys' }]}
        description={
          <Group gap="xs">
            <Badge color={statusColor[s.status]} variant="light" data-testid="survey-status">
              {t(`surveys.statuses.${s.status}`)}
            </Badge>
            <Text size="sm">
              {t(`surveys.audiences.${s.audience}`)} · {t('surveys.iteration')} {s.iteration}
            </Text>
          </Group>
        }
        actions={
          <Group gap="xs">
            {draft && (
              <Button
                onClick={() => act.mutate({ path: `/api/surveys/${id}/open`, body: { version: s.version } })}
                data-testid="survey-open"
              >
                {t('surveys.open')}
              </Button>
            )}
            {s.status === 'open' && (
              <>
                <ButtonLink variant="default" to="/surveys/$id/paper" params={{ id }}>
                  {t('surveys.paper.title')}
                </ButtonLink>
                <Button
                  color="red"
                  variant="light"
                  onClick={() =>
                    act.mutate({ path: `/api/surveys/${id}/close`, body: { version: s.version } })
                  }
                >
                  {t('surveys.close')}
                </Button>
              </>
            )}
            <ButtonLink
              variant="light"
              to="/surveys/$id/results"
              params={{ id }}
              data-testid="survey-results"
            >
              {t('surveys.results')}
            </ButtonLink>
          </Group>
        }
      />
      <Stack gap="lg">
        {act.isError && <ProblemAlert error={act.error} />}
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Figure label={t('surveys.responses')} value={f.number(s.responses)} />
          <Figure label={t('surveys.invited')} value={f.number(s.invited)} />
          <Figure label={t('surveys.printed')} value={f.number(s.printed)} />
          <Figure label={t('surveys.completed')} value={f.number(s.completed)} />
        </SimpleGrid>
        {openUrl && (
          <Section title={t('surveys.openLink')}>
            <Code block data-testid="survey-open-link" dir="ltr">
              {openUrl}
            </Code>
          </Section>
        )}
        <Section title={t('surveys.settings')}>
          <Stack gap="sm">
            <Switch
              label={t('surveys.anonymous')}
              description={draft ? t('surveys.anonymousHelp') : t('surveys.anonymousLocked')}
              checked={s.anonymous}
              disabled={!draft}
              onChange={(e) => patch({ anonymous: e.currentTarget.checked })}
            />
            <NumberInput
              label={t('surveys.minCell')}
              description={t('surveys.minCellHelp')}
              value={s.minCell}
              min={5}
              max={1000}
              onBlur={(e) => {
                const v = Number(e.currentTarget.value);
                if (v !== s.minCell && v >= 5) patch({ minCell: v });
              }}
              maw={240}
            />
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('surveys.participation')}
              </Text>
              <SegmentedControl
                value={s.participation}
                disabled={!draft}
                onChange={(v) => patch({ participation: v })}
                data={PARTICIPATION.map((v) => ({
                  value: v,
                  label: t(`surveys.participations.${v}`),
                }))}
              />
            </div>
            <Group gap="lg">
              {(['gender', 'age', 'grade'] as const).map((b) => (
                <Checkbox
                  key={b}
                  label={t(bandKey(b))}
                  checked={s.bands[b]}
                  disabled={!draft}
                  onChange={(e) => patch({ bands: { ...s.bands, [b]: e.currentTarget.checked } })}
                />
              ))}
            </Group>
            <TagsInput
              label={t('surveys.regions')}
              description={t('surveys.regionsHelp')}
              value={s.bands.regions}
              disabled={!draft}
              onChange={(v) => patch({ bands: { ...s.bands, regions: v } })}
            />
          </Stack>
        </Section>
        {s.status !== 'closed' && s.participation !== 'open' && <Participation s={s} />}
        <Section title={t('surveys.questions', { count: s.questions.length })}>
          {draft && (
            <Text size="sm" c="dimmed" mb="xs">
              {t('surveys.questionsHelp')}
            </Text>
          )}
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('surveys.include')}</Table.Th>
                <Table.Th>{t('surveys.factorCol')}</Table.Th>
                <Table.Th>{t('surveys.question')}</Table.Th>
                <Table.Th>{t('surveys.kind')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(draft ? s.templateQuestions : s.questions).map((x) => {
                const included = s.questions.some((y) => y.id === x.id);
                return (
                  <Table.Tr key={x.id}>
                    <Table.Td>
                      <Checkbox
                        aria-label={t('surveys.include')}
                        checked={included}
                        disabled={!draft || (included && s.questions.length === 1)}
                        onChange={() =>
                          patch({
                            questions: included
                              ? s.questions.filter((y) => y.id !== x.id)
                              : s.templateQuestions.filter(
                                  (y) => y.id === x.id || s.questions.some((z) => z.id === y.id),
                                ),
                          })
                        }
                      />
                    </Table.Td>
                    <Table.Td>{x.factor}</Table.Td>
                    <Table.Td>
                      {x.text[lang] ?? Object.values(x.text)[0]}
                      {x.basis === 'inferred' && (
                        <Badge ms="xs" size="xs" variant="outline" color="gray">
                          {t('surveys.inferred')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`surveys.kinds.${x.kind}`)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Section>
        {draft && (
          <Translations s={s} onSaved={(fresh) => qc.setQueryData([...surveysKey, 'detail', id], fresh)} />
        )}
      </Stack>
    </Container>
  );
}

function Figure({ label, value }: { label: string; value: string }): ReactNode {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={600}>
        {value}
      </Text>
    </Stack>
  );
}

type InviteTarget = (typeof INVITE_TARGETS)[number];

function Participation({ s }: { s: SurveyDetailT }): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<InviteTarget>('roles');
  const [roles, setRoles] = useState<string[]>(['staff']);
  const [units, setUnits] = useState<string[]>([]);
  const [people, setPeople] = useState<string[]>([]);
  // Labelled choices instead of typed ids: the organisation's roles and units.
  const roleList = useQuery({
    queryKey: ['roles', i18n.language],
    queryFn: ({ signal }) => api.get<{ roles: { id: string; label: string }[] }>('/api/roles', { signal }),
    staleTime: 10 * 60_000,
  });
  const unitList = useUnits(kind === 'units');
  const memberList = useMembers(kind === 'users');
  const targets = { roles, units, users: people }[kind];
  const [count, setCount] = useState<number>(20);
  const [tokens, setTokens] = useState<string[] | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      api.post<{ invited: number; alreadyInvited: number }>(`/api/surveys/${s.id}/invitations`, {
        targetKind: kind,
        targets,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: surveysKey }),
  });
  const remind = useMutation({
    mutationFn: () => api.post<{ reminded: number }>(`/api/surveys/${s.id}/reminders`),
  });
  const print = useMutation({
    mutationFn: () => api.post<TokensResultT>(`/api/surveys/${s.id}/tokens`, { count }),
    onSuccess: (r) => {
      setTokens(r.tokens);
      qc.invalidateQueries({ queryKey: surveysKey });
    },
  });
  const url = `${window.location.origin}/s`;
  return (
    <Section title={t('surveys.participationTitle')}>
      <Stack gap="md">
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as InviteTarget)}
          data={
            [
              { value: 'roles', label: t('surveys.inviteByRole') },
              { value: 'units', label: t('surveys.inviteByUnit') },
              { value: 'users', label: t('surveys.inviteByPerson') },
            ] satisfies { value: InviteTarget; label: string }[]
          }
          style={{ alignSelf: 'flex-start' }}
        />
        <Group align="flex-end" gap="xs">
          {kind === 'roles' ? (
            <MultiSelect
              label={t('surveys.inviteRoles')}
              description={t('surveys.inviteHelp')}
              data={(roleList.data?.roles ?? [])
                .filter((r) => r.id !== 'platform_admin')
                .map((r) => ({ value: r.id, label: r.label }))}
              value={roles}
              onChange={setRoles}
              searchable
              style={{ flex: 1 }}
            />
          ) : kind === 'users' ? (
            <MultiSelect
              label={t('surveys.invitePeople')}
              description={t('surveys.inviteHelp')}
              data={(memberList.data?.items ?? []).map((m) => ({
                value: m.userId,
                label: `${m.name} <${m.email}>`,
              }))}
              value={people}
              onChange={setPeople}
              searchable
              style={{ flex: 1 }}
            />
          ) : (
            <MultiSelect
              label={t('surveys.inviteUnits')}
              description={t('surveys.inviteHelp')}
              data={(unitList.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
              value={units}
              onChange={setUnits}
              searchable
              style={{ flex: 1 }}
            />
          )}
          <Button onClick={() => invite.mutate()} loading={invite.isPending} disabled={!targets.length}>
            {t('surveys.invite')}
          </Button>
        </Group>
        {invite.data && (
          <Alert color="teal">
            {t('surveys.invitedResult', {
              count: invite.data.invited,
              already: t('surveys.alreadyInvited', { count: invite.data.alreadyInvited }),
            })}
          </Alert>
        )}
        {invite.isError && <ProblemAlert error={invite.error} />}
        {s.status === 'open' && s.invited > 0 && (
          <Group gap="xs">
            <Button variant="default" onClick={() => remind.mutate()} loading={remind.isPending}>
              {t('surveys.remind')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('surveys.remindHelp')}
            </Text>
          </Group>
        )}
        {remind.data && (
          <Alert color="teal">{t('surveys.remindedResult', { count: remind.data.reminded })}</Alert>
        )}
        {remind.isError && <ProblemAlert error={remind.error} />}
        <Group align="flex-end" gap="xs">
          <NumberInput
            label={t('surveys.printCount')}
            description={t('surveys.printHelp')}
            value={count}
            onChange={(v) => setCount(Number(v) || 1)}
            min={1}
            max={2000}
            maw={200}
          />
          <Button variant="default" onClick={() => print.mutate()} loading={print.isPending}>
            {t('surveys.print')}
          </Button>
        </Group>
        {print.isError && <ProblemAlert error={print.error} />}
        {tokens && (
          <Stack gap="xs">
            <Alert color="yellow">{t('surveys.printOnce')}</Alert>
            <Button variant="light" onClick={() => window.print()} w="fit-content">
              {t('surveys.printPage')}
            </Button>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} data-testid="survey-tokens">
              {tokens.map((x) => (
                <Stack key={x} gap={2} p="sm" style={{ border: '1px dashed var(--mantine-color-gray-5)' }}>
                  <Text size="xs">{t('surveys.cardText', { url })}</Text>
                  <TextInput
                    readOnly
                    value={x}
                    aria-label={t('surveys.answer.token')}
                    dir="ltr"
                    ff="monospace"
                  />
                </Stack>
              ))}
            </SimpleGrid>
          </Stack>
        )}
      </Stack>
    </Section>
  );
}
