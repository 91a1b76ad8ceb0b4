import { Alert, Badge, Button, Container, Group, Paper, Text } from '@mantine/core';
import { IconCertificate, IconMaximize } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../../web/api';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import type { ScormCommitBody, ScormLaunch } from '../learning.certificates.contract';
import { usePct } from './bits';
import { learningKey } from './queries';

// The SCORM 1.2 runtime: scorm-again's Scorm12API on window.API in this page; the SCO runs in
// a same-origin, sandboxed iframe served by the files route and finds the API in its parent.
// LMSCommit and LMSFinish post the cmi data to the server.

type CommitResult = { result: true; errorCode: 0; status: 'in_progress' | 'completed'; score: number | null };

interface Scorm12Like {
  cmi: {
    core: {
      lesson_status: string;
      lesson_location: string;
      score: { raw: string; min: string; max: string };
    };
    suspend_data: string;
  };
  on: (event: string, cb: (...args: unknown[]) => void) => void;
  loadFromJSON: (json: Record<string, unknown>, element?: string) => void;
}

const STATUSES = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'] as const;

function num(s: string): number | null | undefined {
  if (s === '' || s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The cmi data as the server's commit route takes it (unknown statuses → incomplete).
 * cmi.core.session_time is write-only in SCORM 1.2 and scorm-again's getter throws when it is
 * read: the runtime passes the last value the SCO set instead.
 */
export function commitBody(cmi: Scorm12Like['cmi'], sessionTime = ''): ScormCommitBody {
  const status = (STATUSES as readonly string[]).includes(cmi.core.lesson_status)
    ? (cmi.core.lesson_status as ScormCommitBody['lessonStatus'])
    : 'incomplete';
  const body: ScormCommitBody = { lessonStatus: status };
  const raw = num(cmi.core.score.raw);
  if (raw !== undefined) {
    body.scoreRaw = raw;
    const min = num(cmi.core.score.min);
    const max = num(cmi.core.score.max);
    if (min !== undefined) body.scoreMin = min;
    if (max !== undefined) body.scoreMax = max;
  }
  if (cmi.suspend_data) body.suspendData = cmi.suspend_data.slice(0, 4096);
  if (cmi.core.lesson_location) body.lessonLocation = cmi.core.lesson_location.slice(0, 255);
  if (/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/.test(sessionTime)) body.sessionTime = sessionTime;
  return body;
}

export function ScormPage(): ReactNode {
  return (
    <RequirePermission permission="learning.learn">
      <Scorm />
    </RequirePermission>
  );
}

function Scorm(): ReactNode {
  const { t } = useTranslation();
  const { enrolmentId } = useParams({ strict: false }) as { enrolmentId: string };
  const launch = useQuery({
    queryKey: ['learning', 'scorm', enrolmentId],
    queryFn: ({ signal }) =>
      api.get<ScormLaunch>(`/api/learning/enrolments/${enrolmentId}/scorm`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  if (launch.isPending) return <PageLoader />;
  if (launch.isError) return <QueryError error={launch.error} onRetry={() => launch.refetch()} />;
  return (
    <Container size="xl" px={0}>
      <PageHeader title={launch.data.title} crumbs={[{ label: t('learning.myLearning'), to: '/learning' }]} />
      <Runtime launch={launch.data} />
    </Container>
  );
}

function Runtime({ launch }: { launch: ScormLaunch }): ReactNode {
  const { t } = useTranslation();
  const pct = usePct();
  const qc = useQueryClient();
  const frame = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<unknown>(null);
  const [state, setState] = useState<{
    status: string;
    score: number | null;
    saving: boolean;
    error: string | null;
  }>({ status: launch.status, score: null, saving: false, error: null });

  useEffect(() => {
    let disposed = false;
    let scormApi: Scorm12Like | null = null;
    let sessionTime = '';
    const url = `/api/learning/enrolments/${launch.enrolmentId}/scorm`;
    const post = async (keepalive = false) => {
      if (!scormApi) return;
      setState((s) => ({ ...s, saving: true }));
      try {
        const body = commitBody(scormApi.cmi, sessionTime);
        const r = keepalive
          ? await fetch(url, {
              method: 'POST',
              keepalive: true,
              credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'arusha' },
              body: JSON.stringify(body),
            }).then((res) => res.json() as Promise<CommitResult>)
          : await api.post<CommitResult>(url, body);
        if (disposed) return;
        setState({ status: r.status, score: r.score, saving: false, error: null });
        if (r.status === 'completed') qc.invalidateQueries({ queryKey: learningKey });
      } catch (e) {
        if (!disposed) setState((s) => ({ ...s, saving: false, error: errorMessage(e) }));
      }
    };
    const onHide = () => void post(true);
    import('scorm-again/scorm12')
      .then((m) => {
        if (disposed) return;
        // The ESM build exports the class by name (its type declarations say default).
        const Scorm12API = (m as unknown as { Scorm12API: typeof m.default }).Scorm12API ?? m.default;
        const a = new Scorm12API({
          autocommit: false,
          lmsCommitUrl: false,
          logLevel: 5,
        }) as unknown as Scorm12Like;
        // What the learner left off with: status, bookmark and suspend data.
        a.loadFromJSON({
          core: {
            lesson_status: launch.lessonStatus || 'not attempted',
            lesson_location: launch.lessonLocation,
          },
          suspend_data: launch.suspendData,
        });
        a.on('LMSSetValue.cmi.core.session_time', (_el: unknown, v: unknown) => {
          sessionTime = String(v ?? '');
        });
        a.on('LMSCommit', () => void post());
        a.on('LMSFinish', () => void post());
        scormApi = a;
        (window as unknown as { API: unknown }).API = a;
        window.addEventListener('pagehide', onHide);
        setReady(true);
      })
      .catch((e) => !disposed && setFailed(e));
    return () => {
      disposed = true;
      window.removeEventListener('pagehide', onHide);
      delete (window as unknown as { API?: unknown }).API;
    };
  }, [launch, qc]);

  if (failed) return <QueryError error={failed} />;
  return (
    <Paper withBorder radius="md" p="xs">
      <Group justify="space-between" px="xs" pb="xs" gap="xs">
        <Group gap="xs" role="status" aria-live="polite">
          <Badge variant="light" color={state.status === 'completed' ? 'teal' : 'blue'}>
            {t(`learning.statuses.${state.status === 'completed' ? 'completed' : 'in_progress'}`)}
          </Badge>
          {state.score !== null && (
            <Text size="sm">{t('learning.scoreOf', { score: pct(state.score) })}</Text>
          )}
          {state.saving && (
            <Text size="sm" c="dimmed">
              {t('learning.saving')}
            </Text>
          )}
        </Group>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconMaximize size={14} aria-hidden />}
          onClick={() => frame.current?.requestFullscreen?.()}
        >
          {t('learning.fullscreen')}
        </Button>
      </Group>
      {state.error && (
        <Alert color="red" variant="light" mb="xs" role="alert">
          {t('learning.scormSaveFailed', { message: state.error })}
        </Alert>
      )}
      {state.status === 'completed' && (
        <Alert color="teal" variant="light" mb="xs" icon={<IconCertificate aria-hidden />}>
          {t('learning.scormCompleted')}
        </Alert>
      )}
      {ready ? (
        <iframe
          ref={frame}
          src={launch.launchUrl}
          title={launch.title}
          sandbox="allow-scripts allow-same-origin allow-forms"
          allow="fullscreen"
          style={{ inlineSize: '100%', blockSize: '75vh', border: 0, display: 'block' }}
          data-testid="scorm-frame"
        />
      ) : (
        <PageLoader />
      )}
    </Paper>
  );
}
