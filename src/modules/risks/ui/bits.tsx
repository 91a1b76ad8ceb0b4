import { Badge, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { textOn } from '../../../web/ui-kit/contrast';
import type { HeatmapResult } from '../risks.contract';
import { FLAG_SEVERITY, type RiskFlag } from '../risks.vocab';

export function LevelBadge({
  level,
  score,
}: {
  level: { label: string; color: string };
  score?: number;
}): ReactNode {
  return (
    <Badge
      variant="filled"
      styles={{
        root: {
          backgroundColor: level.color,
          color: textOn(level.color),
          textTransform: 'none',
          maxWidth: 'none',
          flexShrink: 0,
        },
        label: { overflow: 'visible' },
      }}
    >
      {score !== undefined ? `${level.label} · ${score}` : level.label}
    </Badge>
  );
}

/** A rating's level and score, or "not rated" on a draft its owner has not rated yet. */
export function RatingBadge({
  rating,
}: {
  rating: { level: { label: string; color: string }; score: number } | null;
}): ReactNode {
  const { t } = useTranslation();
  if (!rating)
    return (
      <Badge variant="outline" color="gray" style={{ textTransform: 'none' }}>
        {t('risks.notRated')}
      </Badge>
    );
  return <LevelBadge level={rating.level} score={rating.score} />;
}

export function FlagBadges({ flags }: { flags: RiskFlag[] }): ReactNode {
  const { t } = useTranslation();
  if (flags.length === 0) return null;
  return (
    <Group gap={4}>
      {flags.map((f) => (
        <Tooltip key={f} label={t(`risks.flagHelp.${f}`)} multiline w={260}>
          <Badge
            color={FLAG_SEVERITY[f] === 'error' ? 'red' : 'yellow'}
            variant="light"
            data-testid={`risk-flag-${f}`}
            styles={{
              root: { textTransform: 'none', maxWidth: 'none', height: 'auto', paddingBlock: 2 },
              label: { overflow: 'visible', whiteSpace: 'normal' },
            }}
          >
            {t(`risks.flag.${f}`)}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

/**
 * A heat map as a CSS grid: likelihood rows (highest on top), impact columns, each cell in
 * its level colour with the count; a click selects the cell. Mirrors itself in right-to-left.
 */
export function HeatGrid(props: {
  map: HeatmapResult;
  kind: 'inherent' | 'residual';
  title: string;
  selected: { likelihood: number; impact: number; kind: 'inherent' | 'residual' } | null;
  onSelect: (cell: { likelihood: number; impact: number; kind: 'inherent' | 'residual' }) => void;
}): ReactNode {
  const { t } = useTranslation();
  const { map, kind } = props;
  const cols = map.impact.length;
  const rows = [...map.likelihood].reverse();
  return (
    <div data-testid={`heatmap-${kind}`}>
      <Text fw={600} mb={6}>
        {props.title}
      </Text>
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: `minmax(84px, auto) repeat(${cols}, minmax(44px, 1fr))`,
          gap: 3,
        }}
      >
        {rows.map((l) => (
          <div key={l.value} style={{ display: 'contents' }}>
            <Text size="xs" ta="end" pe={6} style={{ alignSelf: 'center' }}>
              {l.value} · {l.label}
            </Text>
            {map.impact.map((i) => {
              const c = map.cells.find((x) => x.likelihood === l.value && x.impact === i.value)!;
              const n = kind === 'inherent' ? c.inherentCount : c.residualCount;
              const sel =
                props.selected?.kind === kind &&
                props.selected.likelihood === l.value &&
                props.selected.impact === i.value;
              const level = map.levels.find((x) => x.id === c.levelId);
              return (
                <UnstyledButton
                  key={i.value}
                  data-testid={`heatmap-cell-${l.value}-${i.value}`}
                  aria-label={t('risks.heatmap.cellLabel', {
                    likelihood: l.label,
                    impact: i.label,
                    level: level?.label ?? '',
                    count: n,
                  })}
                  aria-pressed={sel}
                  onClick={() => props.onSelect({ likelihood: l.value, impact: i.value, kind })}
                  style={{
                    backgroundColor: c.color,
                    color: textOn(c.color),
                    opacity: n === 0 ? 0.45 : 1,
                    minHeight: 44,
                    borderRadius: 4,
                    fontWeight: 700,
                    textAlign: 'center',
                    outline: sel ? '3px solid var(--mantine-color-blue-7)' : undefined,
                    outlineOffset: 1,
                  }}
                >
                  {n > 0 ? n : ''}
                </UnstyledButton>
              );
            })}
          </div>
        ))}
        <div />
        {map.impact.map((i) => (
          <Text key={i.value} size="xs" ta="center" style={{ wordBreak: 'break-word' }}>
            {i.value} · {i.label}
          </Text>
        ))}
      </div>
      <Group justify="space-between" mt={4}>
        <Text size="xs" c="dimmed">
          ↑ {t('risks.likelihood')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('risks.impact')} →
        </Text>
      </Group>
    </div>
  );
}

export function LevelLegend({
  levels,
}: {
  levels: { id: string; label: string; color: string; min: number; max: number }[];
}): ReactNode {
  return (
    <Group gap="xs">
      {levels.map((l) => (
        <LevelBadge key={l.id} level={{ ...l, label: `${l.label} ${l.min}–${l.max}` }} />
      ))}
    </Group>
  );
}
