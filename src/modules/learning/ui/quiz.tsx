import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconArrowDown, IconArrowRight, IconArrowUp, IconCheck, IconClock, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { usePct } from './bits';
import { enrolmentKey, learningKey } from './queries';
import type {
  AnswerT,
  AttemptQuestionT,
  AttemptResultT,
  AttemptT,
  OutlineModuleT,
  PlayerT,
  TextItem,
} from './types';

type Answers = Record<string, AnswerT>;

/** A module's quiz: its rules, then an attempt, then the result with feedback. */
export function QuizPanel(props: {
  enrolmentId: string;
  module: OutlineModuleT;
  onNext?: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePct();
  const qc = useQueryClient();
  const quiz = props.module.quiz!;
  const [attempt, setAttempt] = useState<AttemptT | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [result, setResult] = useState<AttemptResultT | null>(null);

  const start = useMutation({
    mutationFn: () =>
      api.post<AttemptT>(`/api/learning/enrolments/${props.enrolmentId}/quizzes/${props.module.id}/attempts`),
    onSuccess: (a) => {
      setAttempt(a);
      setResult(null);
      setAnswers(initialAnswers(a));
    },
  });
  const submit = useMutation({
    mutationFn: (a: AttemptT) =>
      api.post<AttemptResultT>(`/api/learning/attempts/${a.id}/submit`, { answers: answersFor(a, answers) }),
    onSuccess: (r) => {
      setResult(r);
      qc.setQueriesData<PlayerT>({ queryKey: enrolmentKey(props.enrolmentId) }, (old) =>
        old
          ? {
              ...old,
              enrolment: { ...old.enrolment, ...r.enrolment },
              modules: old.modules.map((m) =>
                m.id === props.module.id && m.quiz
                  ? {
                      ...m,
                      quiz: {
                        ...m.quiz,
                        attemptsUsed: m.quiz.attemptsUsed + 1,
                        bestScore: Math.max(m.quiz.bestScore ?? 0, r.score),
                        passed: m.quiz.passed || r.passed,
                      },
                    }
                  : m,
              ),
            }
          : old,
      );
      qc.invalidateQueries({ queryKey: [...learningKey, 'enrolments'] });
      window.scrollTo({ top: 0, behavior: 'smooth' });
    },
  });

  const attemptsLeft = quiz.attempts === 0 ? null : Math.max(0, quiz.attempts - quiz.attemptsUsed);

  return (
    <Paper
      withBorder
      radius="md"
      p={{ base: 'md', sm: 'xl' }}
      component="section"
      aria-labelledby="quiz-title"
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} id="quiz-title">
              {t('learning.quizOf', { module: props.module.title })}
            </Title>
            <Text size="sm" c="dimmed">
              {t('learning.quizRules', {
                count: quiz.draw,
                passMark: pct(quiz.passMark),
              })}{' '}
              {quiz.timeLimitMinutes ? t('learning.timeLimit', { count: quiz.timeLimitMinutes }) : null}
            </Text>
          </div>
          {quiz.passed && (
            <Badge color="teal" variant="light" leftSection={<IconCheck size={12} aria-hidden />}>
              {t('learning.quizPassed')}
            </Badge>
          )}
        </Group>

        {result && attempt && (
          <QuizResult
            attempt={attempt}
            result={result}
            onRetry={() => {
              setAttempt(null);
              setResult(null);
            }}
            onNext={props.onNext}
          />
        )}

        {!attempt && (
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {quiz.attempts === 0
                ? t('learning.attemptsUnlimited')
                : t('learning.attemptsLeft', { count: attemptsLeft ?? 0, n: f.number(attemptsLeft ?? 0) })}
              {quiz.bestScore !== null && ` · ${t('learning.bestScore', { score: pct(quiz.bestScore) })}`}
            </Text>
            <ProblemAlert error={start.error} />
            <Button
              onClick={() => start.mutate()}
              loading={start.isPending}
              disabled={attemptsLeft === 0}
              data-testid="quiz-start"
            >
              {quiz.attemptsUsed > 0 ? t('learning.quizRetake') : t('learning.quizStart')}
            </Button>
          </Stack>
        )}

        {attempt && !result && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit.mutate(attempt);
            }}
          >
            <Stack gap="lg">
              {attempt.deadline && (
                <Timer deadline={attempt.deadline} onExpire={() => submit.isIdle && submit.mutate(attempt)} />
              )}
              {attempt.questions.map((q, i) => (
                <QuestionView
                  key={q.id}
                  n={i + 1}
                  total={attempt.questions.length}
                  q={q}
                  value={answers[q.id]}
                  onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))}
                />
              ))}
              <ProblemAlert error={submit.error} />
              <Group justify="flex-end">
                <Button type="submit" loading={submit.isPending} data-testid="quiz-submit">
                  {t('learning.quizSubmit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

function initialAnswers(a: AttemptT): Answers {
  const out: Answers = {};
  for (const q of a.questions) {
    if (q.type === 'ordering') out[q.id] = (q.items ?? []).map((x) => x.id);
    if (q.type === 'multiple') out[q.id] = [];
    if (q.type === 'matching') out[q.id] = {};
  }
  return out;
}

/**
 * The answers as the server takes them ({ choice } | { choices } | { value } | { pairs } |
 * { order }); only answered questions are sent (an unanswered one scores zero).
 */
function answersFor(a: AttemptT, answers: Answers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of a.questions) {
    const v = answers[q.id];
    if (v === undefined || v === '') continue;
    if (q.type === 'single') out[q.id] = { choice: v };
    else if (q.type === 'multiple') out[q.id] = { choices: v };
    else if (q.type === 'true_false') out[q.id] = { value: v };
    else if (q.type === 'ordering') out[q.id] = { order: v };
    else if (q.type === 'matching') {
      const pairs = Object.fromEntries(Object.entries(v as Record<string, string>).filter(([, r]) => r));
      if (Object.keys(pairs).length) out[q.id] = { pairs };
    }
  }
  return out;
}

function Timer({ deadline, onExpire }: { deadline: string; onExpire: () => void }): ReactNode {
  const { t } = useTranslation();
  const end = new Date(deadline).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(h);
  }, []);
  const left = Math.max(0, Math.round((end - now) / 1000));
  useEffect(() => {
    if (left === 0) onExpire();
  }, [left, onExpire]);
  const mm = Math.floor(left / 60);
  const ss = String(left % 60).padStart(2, '0');
  const low = left < 60;
  return (
    <Alert
      color={low ? 'red' : 'blue'}
      variant="light"
      icon={<IconClock aria-hidden />}
      style={{ position: 'sticky', top: 64, zIndex: 2 }}
      data-testid="quiz-timer"
    >
      <Text size="sm" fw={600} dir="ltr" span>
        {mm}:{ss}
      </Text>{' '}
      <Text size="sm" span>
        {t('learning.timeLeft')}
      </Text>
      {/* Announce only the last minute, not every second. */}
      <VisuallyHidden aria-live="polite">{low ? t('learning.lastMinute') : ''}</VisuallyHidden>
    </Alert>
  );
}

function QuestionView(props: {
  n: number;
  total: number;
  q: AttemptQuestionT;
  value: AnswerT | undefined;
  onChange: (v: AnswerT) => void;
}): ReactNode {
  const { t } = useTranslation();
  const { q } = props;
  const id = useId();
  const label = (
    <>
      <Text span size="xs" c="dimmed" display="block">
        {t('learning.questionN', { n: props.n, total: props.total })}
      </Text>
      <Text span fw={600} dir="auto">
        {q.prompt}
      </Text>
    </>
  );
  return (
    <Paper withBorder radius="sm" p="md" data-testid={`question-${q.id}`} data-type={q.type}>
      {q.type === 'single' && (
        <Radio.Group label={label} value={(props.value as string) ?? ''} onChange={props.onChange}>
          <Stack gap="xs" mt="xs">
            {(q.options ?? []).map((o) => (
              <Radio key={o.id} value={o.id} label={<span dir="auto">{o.text}</span>} />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {q.type === 'true_false' && (
        <Radio.Group
          label={label}
          value={props.value === undefined ? '' : String(props.value)}
          onChange={(v) => props.onChange(v === 'true')}
        >
          <Group gap="lg" mt="xs">
            <Radio value="true" label={t('learning.true')} />
            <Radio value="false" label={t('learning.false')} />
          </Group>
        </Radio.Group>
      )}
      {q.type === 'multiple' && (
        <Checkbox.Group
          label={label}
          description={t('learning.selectAll')}
          value={(props.value as string[]) ?? []}
          onChange={props.onChange}
        >
          <Stack gap="xs" mt="xs">
            {(q.options ?? []).map((o) => (
              <Checkbox key={o.id} value={o.id} label={<span dir="auto">{o.text}</span>} />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
      {q.type === 'matching' && (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend>{label}</legend>
          <Text size="xs" c="dimmed" mb="xs">
            {t('learning.matchHint')}
          </Text>
          <Stack gap="xs">
            {(q.lefts ?? []).map((l) => {
              const v = (props.value as Record<string, string>) ?? {};
              return (
                <Group key={l.id} wrap="nowrap" align="center" gap="sm">
                  <Text size="sm" style={{ flex: 1 }} id={`${id}-${l.id}`} dir="auto">
                    {l.text}
                  </Text>
                  <NativeSelect
                    style={{ flex: 1 }}
                    aria-labelledby={`${id}-${l.id}`}
                    value={v[l.id] ?? ''}
                    data={[
                      { value: '', label: t('learning.choose') },
                      // A right-hand side matches one left-hand side only.
                      ...(q.rights ?? []).map((r) => ({
                        value: r.id,
                        label: r.text,
                        disabled: v[l.id] !== r.id && Object.values(v).includes(r.id),
                      })),
                    ]}
                    onChange={(e) => props.onChange({ ...v, [l.id]: e.currentTarget.value })}
                  />
                </Group>
              );
            })}
          </Stack>
        </fieldset>
      )}
      {q.type === 'ordering' && (
        <Ordering
          label={label}
          items={q.items ?? []}
          value={(props.value as string[]) ?? (q.items ?? []).map((x) => x.id)}
          onChange={props.onChange}
        />
      )}
    </Paper>
  );
}

function Ordering(props: {
  label: ReactNode;
  items: TextItem[];
  value: string[];
  onChange: (v: string[]) => void;
}): ReactNode {
  const { t } = useTranslation();
  const [announce, setAnnounce] = useState('');
  const byId = new Map(props.items.map((x) => [x.id, x]));
  const move = (i: number, d: -1 | 1) => {
    const j = i + d;
    if (j < 0 || j >= props.value.length) return;
    const next = [...props.value];
    [next[i], next[j]] = [next[j]!, next[i]!];
    props.onChange(next);
    setAnnounce(
      t('learning.movedTo', {
        item: byId.get(props.value[i]!)?.text ?? '',
        position: j + 1,
        total: next.length,
      }),
    );
    // Keep the focus on the moved item's same button after the re-render.
    requestAnimationFrame(() => {
      document.getElementById(`order-${props.value[i]}-${d < 0 ? 'up' : 'down'}`)?.focus();
    });
  };
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend>{props.label}</legend>
      <Text size="xs" c="dimmed" mb="xs">
        {t('learning.orderHint')}
      </Text>
      <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {props.value.map((itemId, i) => {
          const item = byId.get(itemId);
          return (
            <Paper key={itemId} component="li" withBorder radius="sm" px="sm" py={6}>
              <Group wrap="nowrap" gap="sm">
                <Badge variant="light" circle>
                  {i + 1}
                </Badge>
                <Text size="sm" style={{ flex: 1 }} dir="auto">
                  {item?.text}
                </Text>
                <ActionIcon
                  id={`order-${itemId}-up`}
                  variant="default"
                  onClick={() => move(i, -1)}
                  disabled={i === 0}
                  aria-label={t('learning.moveUp', { item: item?.text ?? '' })}
                >
                  <IconArrowUp size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  id={`order-${itemId}-down`}
                  variant="default"
                  onClick={() => move(i, 1)}
                  disabled={i === props.value.length - 1}
                  aria-label={t('learning.moveDown', { item: item?.text ?? '' })}
                >
                  <IconArrowDown size={16} aria-hidden />
                </ActionIcon>
              </Group>
            </Paper>
          );
        })}
      </Stack>
      <VisuallyHidden aria-live="polite">{announce}</VisuallyHidden>
    </fieldset>
  );
}

function QuizResult(props: {
  attempt: AttemptT;
  result: AttemptResultT;
  onRetry: () => void;
  onNext?: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const pct = usePct();
  const f = useFormat();
  const r = props.result;
  const prompts = new Map(props.attempt.questions.map((q) => [q.id, q.prompt]));
  const canRetry = !r.passed && (r.attemptsLeft === null || r.attemptsLeft > 0);
  return (
    <Stack gap="md" data-testid="quiz-result" data-passed={r.passed}>
      <Alert
        color={r.passed ? 'teal' : 'orange'}
        variant="light"
        role="status"
        icon={r.passed ? <IconCheck aria-hidden /> : <IconX aria-hidden />}
        title={r.passed ? t('learning.resultPassed') : t('learning.resultFailed')}
      >
        <Stack gap={4}>
          <Text size="sm">{t('learning.yourScore', { score: pct(r.score) })}</Text>
          {!r.passed && (
            <Text size="sm">
              {r.attemptsLeft === null
                ? t('learning.attemptsUnlimited')
                : t('learning.attemptsLeft', { count: r.attemptsLeft, n: f.number(r.attemptsLeft) })}
            </Text>
          )}
        </Stack>
      </Alert>
      <Table withTableBorder verticalSpacing="xs" fz="sm">
        <Table.Caption>{t('learning.feedbackCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('learning.question')}</Table.Th>
            <Table.Th scope="col">{t('learning.points')}</Table.Th>
            <Table.Th scope="col">{t('learning.feedback')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.questions.map((q) => (
            <Table.Tr key={q.id}>
              <Table.Td dir="auto">{prompts.get(q.id) ?? q.id}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {q.correct ? (
                    <IconCheck
                      size={16}
                      color="var(--mantine-color-teal-7)"
                      aria-label={t('learning.correct')}
                      role="img"
                    />
                  ) : (
                    <IconX
                      size={16}
                      color="var(--mantine-color-red-7)"
                      aria-label={t('learning.incorrect')}
                      role="img"
                    />
                  )}
                  <Text size="sm" dir="ltr" span>
                    {f.number(Math.round(q.points * 100) / 100)}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>
                {[q.feedback, ...q.chosen.map((c) => c.feedback)].filter(Boolean).length === 0
                  ? '—'
                  : [q.feedback, ...q.chosen.map((c) => c.feedback)]
                      .filter((x): x is string => !!x)
                      .map((x, i) => (
                        <Text key={i} size="sm" dir="auto">
                          {x}
                        </Text>
                      ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end">
        {canRetry && (
          <Button variant="default" onClick={props.onRetry}>
            {t('learning.quizRetake')}
          </Button>
        )}
        {r.passed && props.onNext && (
          <Button
            onClick={props.onNext}
            rightSection={<IconArrowRight size={16} aria-hidden className="flip-rtl" />}
          >
            {t('learning.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
