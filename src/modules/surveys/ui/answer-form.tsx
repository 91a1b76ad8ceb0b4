import {
  Button,
  Checkbox,
  Group,
  Progress,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGE_BANDS, GENDER_BANDS, GRADE_BANDS } from '../surveys.vocab';
import { bandKey, bandValueKey, factorKey, frequencyKey, likertKey } from './keys';
import type { AnswerValue, PublicFormT } from './types';

// The questionnaire, one factor group per step: light (no chart library), works on a phone,
// and keeps its progress on the device (localStorage) until it is submitted.

export interface Draft {
  bands: Record<string, string>;
  answers: Record<string, AnswerValue>;
  step: number;
}

export function AnswerForm(props: {
  form: PublicFormT;
  /** Where progress is kept on this device (null: not kept, e.g. paper entry). */
  storageKey: string | null;
  submitting: boolean;
  onSubmit: (d: Draft) => void;
}): ReactNode {
  const { t } = useTranslation();
  const { form, storageKey } = props;
  const [draft, setDraft] = useState<Draft>(() => {
    if (storageKey) {
      try {
        const saved = localStorage.getItem(storageKey);
        if (saved) return JSON.parse(saved) as Draft;
      } catch {
        /* storage unavailable or corrupt: start afresh */
      }
    }
    return { bands: {}, answers: {}, step: 0 };
  });
  useEffect(() => {
    if (!storageKey) return;
    try {
      localStorage.setItem(storageKey, JSON.stringify(draft));
    } catch {
      /* private mode: progress is not kept */
    }
  }, [draft, storageKey]);

  const factors = [...new Set(form.questions.map((q) => q.factor))];
  const hasBands = form.bands.gender || form.bands.age || form.bands.grade || form.bands.regions.length > 0;
  const steps: ('bands' | number)[] = [...(hasBands ? (['bands'] as const) : []), ...factors];
  const step = Math.min(draft.step, steps.length - 1);
  const current = steps[step]!;
  const last = step === steps.length - 1;
  const setAnswer = (id: string, v: AnswerValue | undefined) =>
    setDraft((d) => {
      const answers = { ...d.answers };
      if (v === undefined) delete answers[id];
      else answers[id] = v;
      return { ...d, answers };
    });
  const setBand = (k: string, v: string | null) =>
    setDraft((d) => {
      const bands = { ...d.bands };
      if (v) bands[k] = v;
      else delete bands[k];
      return { ...d, bands };
    });
  const go = (n: number) => {
    setDraft((d) => ({ ...d, step: n }));
    window.scrollTo?.(0, 0);
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (last) props.onSubmit({ ...draft, step });
        else go(step + 1);
      }}
    >
      <Stack gap="md">
        <Progress
          value={((step + 1) / steps.length) * 100}
          aria-label={t('surveys.answer.progress', { step: step + 1, steps: steps.length })}
        />
        <Text size="sm" c="dimmed">
          {t('surveys.answer.progress', { step: step + 1, steps: steps.length })}
        </Text>
        {current === 'bands' ? (
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t('surveys.answer.aboutYou')}
            </Title>
            <Text size="sm">{t('surveys.answer.bandsHelp')}</Text>
            {form.bands.gender && (
              <BandSelect name="gender" values={GENDER_BANDS} value={draft.bands.gender} onChange={setBand} />
            )}
            {form.bands.age && (
              <BandSelect name="age" values={AGE_BANDS} value={draft.bands.age} onChange={setBand} />
            )}
            {form.bands.grade && (
              <BandSelect name="grade" values={GRADE_BANDS} value={draft.bands.grade} onChange={setBand} />
            )}
            {form.bands.regions.length > 0 && (
              <Select
                label={t('surveys.band.region')}
                data={form.bands.regions}
                value={draft.bands.region ?? null}
                onChange={(v) => setBand('region', v)}
                clearable
                placeholder={t('surveys.answer.preferNot')}
              />
            )}
          </Stack>
        ) : (
          <Stack gap="lg">
            <Title order={2} size="h4">
              {t(factorKey(current))}
            </Title>
            {form.questions
              .filter((q) => q.factor === current)
              .map((q) => (
                <Question key={q.id} q={q} value={draft.answers[q.id]} onChange={(v) => setAnswer(q.id, v)} />
              ))}
          </Stack>
        )}
        <Group justify="space-between">
          <Button variant="default" disabled={step === 0} onClick={() => go(step - 1)}>
            {t('surveys.answer.back')}
          </Button>
          <Button
            type="submit"
            loading={props.submitting}
            data-testid={last ? 'answer-submit' : 'answer-next'}
          >
            {last ? t('surveys.answer.submit') : t('surveys.answer.next')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function BandSelect(props: {
  name: string;
  values: readonly string[];
  value: string | undefined;
  onChange: (k: string, v: string | null) => void;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Select
      label={t(bandKey(props.name))}
      data={props.values.map((v) => ({ value: v, label: t(bandValueKey(props.name, v)) }))}
      value={props.value ?? null}
      onChange={(v) => props.onChange(props.name, v)}
      clearable
      placeholder={t('surveys.answer.preferNot')}
      data-testid={`band-${props.name}`}
    />
  );
}

function Question(props: {
  q: PublicFormT['questions'][number];
  value: AnswerValue | undefined;
  onChange: (v: AnswerValue | undefined) => void;
}): ReactNode {
  const { t } = useTranslation();
  const { q, value, onChange } = props;
  const scale = (
    keys: number[],
    key: (k: number) => ReturnType<typeof likertKey> | ReturnType<typeof frequencyKey>,
  ) => (
    <Radio.Group
      label={q.text}
      value={value === undefined ? '' : String(value)}
      onChange={(v) => onChange(Number(v))}
      data-testid={`q-${q.id}`}
    >
      <Stack gap={6} mt={6}>
        {keys.map((k) => (
          <Radio key={k} value={String(k)} label={t(key(k))} />
        ))}
      </Stack>
    </Radio.Group>
  );
  if (q.kind === 'likert5') return scale([1, 2, 3, 4, 5], likertKey);
  if (q.kind === 'frequency') return scale([0, 1, 2, 3, 4], frequencyKey);
  if (q.kind === 'yesno')
    return (
      <Radio.Group
        label={q.text}
        value={value === undefined ? '' : value ? 'yes' : 'no'}
        onChange={(v) => onChange(v === 'yes')}
        data-testid={`q-${q.id}`}
      >
        <Group gap="lg" mt={6}>
          <Radio value="yes" label={t('surveys.yes')} />
          <Radio value="no" label={t('surveys.no')} />
        </Group>
      </Radio.Group>
    );
  if (q.kind === 'single')
    return (
      <Radio.Group
        label={q.text}
        value={typeof value === 'string' ? value : ''}
        onChange={onChange}
        data-testid={`q-${q.id}`}
      >
        <Stack gap={6} mt={6}>
          {q.options?.map((o) => (
            <Radio key={o.id} value={o.id} label={o.text} />
          ))}
        </Stack>
      </Radio.Group>
    );
  if (q.kind === 'multiple')
    return (
      <Checkbox.Group
        label={q.text}
        value={Array.isArray(value) ? value : []}
        onChange={(v) => onChange(v.length ? v : undefined)}
        data-testid={`q-${q.id}`}
      >
        <Stack gap={6} mt={6}>
          {q.options?.map((o) => (
            <Checkbox key={o.id} value={o.id} label={o.text} />
          ))}
        </Stack>
      </Checkbox.Group>
    );
  return (
    <Textarea
      label={q.text}
      description={t('surveys.answer.textHelp')}
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(e.currentTarget.value || undefined)}
      maxLength={2000}
      autosize
      minRows={3}
      data-testid={`q-${q.id}`}
    />
  );
}
