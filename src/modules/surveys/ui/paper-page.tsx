import { Alert, Container, Stack, Text } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { AnswerForm, type Draft } from './answer-form';
import { useSurvey } from './queries';
import type { PublicFormT, SurveyDetailT } from './types';

// Paper-to-tablet: an enumerator types in paper forms one after the other. Nothing about the
// respondent is asked or kept beyond the bands on the form; progress is not kept on the device.

export function PaperPage(): ReactNode {
  return (
    <RequirePermission permission="surveys.manage">
      <Paper />
    </RequirePermission>
  );
}

function toForm(s: SurveyDetailT, lang: string): PublicFormT {
  const l = s.languages.includes(lang) ? lang : (s.languages[0] ?? 'en');
  const pick = (x: Record<string, string>) => x[l] ?? Object.values(x)[0] ?? '';
  return {
    name: s.name,
    audience: s.audience,
    language: l,
    languages: s.languages,
    bands: s.bands,
    questions: s.questions.map((q) => ({
      id: q.id,
      factor: q.factor,
      kind: q.kind,
      text: pick(q.text),
      ...(q.options ? { options: q.options.map((o) => ({ id: o.id, text: pick(o.text) })) } : {}),
    })),
  };
}

function Paper(): ReactNode {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const survey = useSurvey(id);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (survey.isPending) return <PageLoader />;
  if (survey.isError) return <QueryError error={survey.error} onRetry={survey.refetch} />;
  const s = survey.data;
  const submit = async (d: Draft) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/surveys/${id}/paper`, { bands: d.bands, answers: d.answers });
      setCount((c) => c + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Container size="sm" px={0}>
      <PageHeader
        title={t('surveys.paper.title')}
        description={t('surveys.paper.intro')}
        crumbs={[
          { label: t('surveys.title'), to: '/surveys' },
          { label: s.name, to: '/surveys/$id', params: { id } },
        ]}
      />
      <Stack gap="md">
        {s.status !== 'open' && <Alert color="yellow">{t('surveys.paper.notOpen')}</Alert>}
        {count > 0 && (
          <Alert color="teal" data-testid="paper-count">
            {t('surveys.paper.entered', { count })}
          </Alert>
        )}
        {error !== null && <ProblemAlert error={error} />}
        <Text size="sm" c="dimmed">
          {t('surveys.paper.next')}
        </Text>
        <AnswerForm
          key={count}
          form={toForm(s, i18n.language)}
          storageKey={null}
          submitting={busy}
          onSubmit={submit}
        />
      </Stack>
    </Container>
  );
}
