import { Badge, Progress, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/ui-kit/format';
import type { AssessmentStatus } from '../assessments.vocab';

const STATUS_COLOR: Record<AssessmentStatus, string> = {
  planned: 'gray',
  in_progress: 'blue',
  in_review: 'orange',
  validated: 'teal',
  closed: 'dark',
};

export function StatusBadge({ status, testId }: { status: AssessmentStatus; testId?: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid={testId} data-status={status}>
      {t(`assessments.statuses.${status}`)}
    </Badge>
  );
}

export function ProgressBar({
  done,
  total,
  percent,
}: {
  done: number;
  total: number;
  percent: number;
}): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const label = t('assessments.itemsProgress', { done: fmt.number(done), count: total });
  return (
    <Tooltip label={label}>
      <div>
        <Progress value={percent} size="md" aria-label={label} color={percent === 100 ? 'teal' : 'blue'} />
        <Text size="xs" c="dimmed" mt={2}>
          {label}
        </Text>
      </div>
    </Tooltip>
  );
}

/** A percentage with one decimal in the UI language, or a dash. */
export function usePercent() {
  const { t, i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return (v: number | null | undefined) =>
    v === null || v === undefined ? '—' : t('assessments.percent', { value: nf.format(v) });
}

export function DeltaText({ value }: { value: number | null }): ReactNode {
  const { i18n } = useTranslation();
  if (value === null)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  const nf = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  return (
    <Text
      span
      fw={600}
      // Darker than the filled shade on a light background (WCAG AA contrast), lighter on a dark one.
      c={
        value > 0
          ? 'light-dark(var(--mantine-color-teal-9), var(--mantine-color-teal-4))'
          : value < 0
            ? 'light-dark(var(--mantine-color-red-9), var(--mantine-color-red-4))'
            : 'dimmed'
      }
    >
      {nf.format(value)}
    </Text>
  );
}
