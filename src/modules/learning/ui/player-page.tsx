import {
  Alert,
  Box,
  Button,
  Container,
  Grid,
  Group,
  NavLink,
  Paper,
  Skeleton,
  Stack,
  Text,
  Title,
  Typography,
} from '@mantine/core';
import {
  IconArrowRight,
  IconCertificate,
  IconCheck,
  IconCircle,
  IconCircleCheck,
  IconHelpCircle,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { EnrolmentBadge, PercentBar } from './bits';
import { QuizPanel } from './quiz';
import { enrolmentKey, learningKey, usePlayer } from './queries';
import type { EnrolmentT, LessonT, OutlineModuleT, PlayerT } from './types';

// The course player: outline on the side, one lesson or quiz at a time. Kept light — no
// charts or other heavy imports on this route.

export function PlayerPage(): ReactNode {
  return (
    <RequirePermission permission="learning.learn">
      <Player />
    </RequirePermission>
  );
}

type Step = { kind: 'lesson'; moduleId: string; id: string } | { kind: 'quiz'; moduleId: string };

function stepsOf(modules: OutlineModuleT[]): Step[] {
  return modules.flatMap((m) => [
    ...m.lessons.map((l): Step => ({ kind: 'lesson', moduleId: m.id, id: l.id })),
    ...(m.quiz ? [{ kind: 'quiz', moduleId: m.id } as Step] : []),
  ]);
}

function stepDone(modules: OutlineModuleT[], s: Step): boolean {
  const m = modules.find((x) => x.id === s.moduleId);
  if (!m) return false;
  return s.kind === 'lesson' ? !!m.lessons.find((l) => l.id === s.id)?.done : !!m.quiz?.passed;
}

const sameStep = (a: Step | null, b: Step) =>
  !!a &&
  a.kind === b.kind &&
  a.moduleId === b.moduleId &&
  (a.kind === 'quiz' || a.id === (b as { id: string }).id);

function Player(): ReactNode {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const player = usePlayer(id);
  const [step, setStep] = useState<Step | null>(null);
  // Modules opened in the outline: the current one, and any the learner opens.
  const [openModules, setOpenModules] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (step) setOpenModules((o) => (o.has(step.moduleId) ? o : new Set(o).add(step.moduleId)));
  }, [step]);
  const toggleModule = (id: string) =>
    setOpenModules((o) => {
      const n = new Set(o);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const mainRef = useRef<HTMLDivElement>(null);

  const steps = useMemo(() => (player.data ? stepsOf(player.data.modules) : []), [player.data]);
  // Open the first step not done yet (or the first one) once the outline is known.
  useEffect(() => {
    if (!player.data || step) return;
    setStep(steps.find((s) => !stepDone(player.data.modules, s)) ?? steps[0] ?? null);
  }, [player.data, steps, step]);

  const go = (s: Step | null) => {
    setStep(s);
    mainRef.current?.focus({ preventScroll: true });
    mainRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  const next = (from: Step): Step | null => {
    const i = steps.findIndex((s) => sameStep(s, from));
    return i >= 0 && i + 1 < steps.length ? steps[i + 1]! : null;
  };

  if (player.isPending) return <PageLoader />;
  if (player.isError) return <QueryError error={player.error} onRetry={() => player.refetch()} />;
  const p = player.data;
  const total = steps.length;
  const done = steps.filter((s) => stepDone(p.modules, s)).length;
  const percent = total ? Math.round((done / total) * 100) : 0;

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={p.enrolment.courseTitle}
        crumbs={[{ label: t('learning.myLearning'), to: '/learning' }]}
        before={<EnrolmentBadge status={p.enrolment.status} />}
        description={t('learning.versionN', { n: p.versionNumber })}
      />
      {p.enrolment.status === 'completed' && <CompletionBanner e={p.enrolment} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper
            withBorder
            radius="md"
            p="xs"
            component="nav"
            aria-label={t('learning.outline')}
            pos={{ base: 'static', md: 'sticky' }}
            top={72}
            mah={{ md: 'calc(100dvh - 88px)' }}
            style={{ overflowY: 'auto' }}
          >
            <Box px="xs" pt={4} pb="xs">
              <PercentBar percent={percent} label={t('learning.stepsDone', { done, count: total })} />
            </Box>
            {p.modules.map((m) => (
              <NavLink
                key={m.id}
                // A button, not a link without href: it opens and closes the module (aria-expanded).
                component="button"
                label={<span dir="auto">{m.title}</span>}
                opened={openModules.has(m.id)}
                onChange={() => toggleModule(m.id)}
                description={
                  m.lessons.every((l) => l.done) && (!m.quiz || m.quiz.passed)
                    ? t('learning.moduleDone')
                    : undefined
                }
                fw={600}
                childrenOffset={8}
              >
                {m.lessons.map((l) => {
                  const s: Step = { kind: 'lesson', moduleId: m.id, id: l.id };
                  return (
                    <NavLink
                      key={l.id}
                      component="button"
                      label={<span dir="auto">{l.title}</span>}
                      description={t('learning.minutes', { count: l.minutes, n: l.minutes })}
                      active={sameStep(step, s)}
                      aria-current={sameStep(step, s) ? 'step' : undefined}
                      onClick={() => go(s)}
                      leftSection={<DoneIcon done={l.done} label={t('learning.lessonDone')} />}
                    />
                  );
                })}
                {m.quiz && (
                  <NavLink
                    component="button"
                    label={t('learning.quiz')}
                    active={sameStep(step, { kind: 'quiz', moduleId: m.id })}
                    aria-current={sameStep(step, { kind: 'quiz', moduleId: m.id }) ? 'step' : undefined}
                    onClick={() => go({ kind: 'quiz', moduleId: m.id })}
                    leftSection={
                      m.quiz.passed ? (
                        <DoneIcon done label={t('learning.quizPassed')} />
                      ) : (
                        <IconHelpCircle size={18} aria-hidden color="var(--mantine-color-dimmed)" />
                      )
                    }
                  />
                )}
              </NavLink>
            ))}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <div ref={mainRef} tabIndex={-1} style={{ outline: 'none', scrollMarginTop: 80 }}>
            {step?.kind === 'lesson' ? (
              <LessonView
                key={step.id}
                enrolmentId={id}
                lessonId={step.id}
                onNext={() => go(next(step))}
                isLast={!next(step)}
              />
            ) : step?.kind === 'quiz' ? (
              <QuizPanel
                key={step.moduleId}
                enrolmentId={id}
                module={p.modules.find((m) => m.id === step.moduleId)!}
                onNext={next(step) ? () => go(next(step)) : undefined}
              />
            ) : (
              <Text c="dimmed">{t('learning.emptyCourse')}</Text>
            )}
          </div>
        </Grid.Col>
      </Grid>
    </Container>
  );
}

function DoneIcon({ done, label }: { done: boolean; label: string }): ReactNode {
  return done ? (
    <IconCircleCheck size={18} color="var(--mantine-color-teal-6)" aria-label={label} role="img" />
  ) : (
    <IconCircle size={18} color="var(--mantine-color-gray-5)" aria-hidden />
  );
}

export function CompletionBanner({ e }: { e: EnrolmentT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Alert
      color="teal"
      variant="light"
      mb="lg"
      icon={<IconCertificate aria-hidden />}
      title={t('learning.completedTitle')}
      data-testid="course-completed"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{t('learning.completedOn', { date: f.date(e.completedAt) })}</Text>
        {e.certificateId ? (
          <Button
            component="a"
            href={`/api/learning/certificates/${e.certificateId}/pdf`}
            leftSection={<IconCertificate size={16} aria-hidden />}
            data-testid="certificate-download"
          >
            {t('learning.downloadCertificate')}
          </Button>
        ) : (
          <Text size="sm" c="dimmed">
            {t('learning.noCertificate')}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

/** Server-sanitized lesson HTML, with images loaded lazily. */
function lazyImages(html: string): string {
  return html.replace(/<img(?![^>]*\sloading=)/gi, '<img loading="lazy"');
}

function LessonView(props: {
  enrolmentId: string;
  lessonId: string;
  onNext: () => void;
  isLast: boolean;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const lesson = useQuery({
    queryKey: ['learning', 'lesson', props.enrolmentId, props.lessonId, i18n.language],
    queryFn: ({ signal }) =>
      api.get<LessonT>(`/api/learning/enrolments/${props.enrolmentId}/lessons/${props.lessonId}`, { signal }),
  });
  const html = useMemo(() => (lesson.data ? lazyImages(lesson.data.html) : ''), [lesson.data]);
  const markDone = useMutation({
    mutationFn: () =>
      api.post<{ enrolment: EnrolmentT } | EnrolmentT>(
        `/api/learning/enrolments/${props.enrolmentId}/lessons/${props.lessonId}/done`,
      ),
    onSuccess: (res) => {
      const enrolment = 'enrolment' in res ? res.enrolment : res;
      qc.setQueriesData<PlayerT>({ queryKey: enrolmentKey(props.enrolmentId) }, (old) =>
        old
          ? {
              ...old,
              enrolment: { ...old.enrolment, ...enrolment },
              modules: old.modules.map((m) => ({
                ...m,
                lessons: m.lessons.map((l) => (l.id === props.lessonId ? { ...l, done: true } : l)),
              })),
            }
          : old,
      );
      qc.invalidateQueries({ queryKey: [...learningKey, 'enrolments'] });
      props.onNext();
    },
  });

  if (lesson.isPending)
    return (
      <Stack>
        <Skeleton h={32} w="60%" />
        <Skeleton h={16} />
        <Skeleton h={16} />
        <Skeleton h={16} w="80%" />
      </Stack>
    );
  if (lesson.isError) return <QueryError error={lesson.error} onRetry={() => lesson.refetch()} />;
  const l = lesson.data;
  return (
    <Paper
      withBorder
      radius="md"
      p={{ base: 'md', sm: 'xl' }}
      component="article"
      aria-labelledby="lesson-title"
    >
      {/* The lesson is in its own language, which may not be the UI's. */}
      <Stack gap="md" lang={l.language} dir={i18n.dir(l.language)}>
        <div>
          <Title order={2} id="lesson-title">
            {l.title}
          </Title>
          <Text size="sm" c="dimmed" lang={i18n.language} dir={i18n.dir(i18n.language)}>
            {t('learning.readingTime', { count: l.minutes, n: l.minutes })}
          </Text>
        </div>
        <Typography
          className="learning-lesson"
          maw="72ch"
          // The lesson body is rendered from Markdown and sanitized (allow-list) by the server; this is the only field rendered as HTML.
          dangerouslySetInnerHTML={{ __html: html }}
        />
        <ProblemAlert error={markDone.error} />
        <Group justify="flex-end" lang={i18n.language} dir={i18n.dir(i18n.language)}>
          <Button
            onClick={() => markDone.mutate()}
            loading={markDone.isPending}
            rightSection={
              props.isLast ? (
                <IconCheck size={16} aria-hidden />
              ) : (
                <IconArrowRight size={16} aria-hidden className="flip-rtl" />
              )
            }
            data-testid="lesson-done"
          >
            {props.isLast ? t('learning.markDone') : t('learning.markDoneNext')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
