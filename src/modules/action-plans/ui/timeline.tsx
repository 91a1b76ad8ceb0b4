import { Group, Stack, Text, useDirection } from '@mantine/core';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import type { PlanDetailT } from '../action-plans.contract';
import { ACTION_STATUS_COLORS } from './bits';

// The timeline needs ECharts' custom and scatter series and mark lines, which the shared
// setup does not register: add them to the same (lazily loaded) ECharts instance.
let extras: Promise<void> | undefined;
function loadExtras(): Promise<void> {
  extras ??= Promise.all([
    import('../../../web/ui-kit/echarts-setup'),
    import('echarts/charts'),
    import('echarts/components'),
  ]).then(([{ echarts }, charts, components]) => {
    echarts.use([charts.CustomChart, charts.ScatterChart, components.MarkLineComponent]);
  });
  return extras;
}

const HEX: Record<string, string> = {
  gray: '#868e96',
  blue: '#1c7ed6',
  teal: '#0ca678',
  orange: '#f76707',
  dark: '#495057',
  red: '#e03131',
};

const ms = (d: string) => new Date(`${d}T00:00:00Z`).getTime();

/** Gantt-like bars from start to due, milestones as diamonds, a line for today. */
export function Timeline({ plan }: { plan: PlanDetailT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const { dir } = useDirection();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    loadExtras().then(
      () => live && setReady(true),
      () => live && setReady(true),
    );
    return () => {
      live = false;
    };
  }, []);
  const dated = plan.actions.filter((a) => a.dueDate);
  const option = useMemo<ChartOption>(() => {
    const refs = dated.map((a) => a.ref);
    const bars = dated.map((a, i) => {
      const start = a.startDate ?? [a.dueDate!, plan.horizonStart].sort()[0]!;
      const color = HEX[a.overdue ? 'red' : ACTION_STATUS_COLORS[a.status]] ?? '#1c7ed6';
      return {
        value: [i, ms(start), ms(a.dueDate!), a.progress],
        name: `${a.ref} ${a.objective}`,
        itemStyle: { color },
        tip: `${a.ref} ${a.objective}<br/>${f.date(start)} – ${f.date(a.dueDate)} · ${t(`actionPlans.status.${a.status}`)} · ${a.progress} %${a.overdue ? ` · ${t('actionPlans.overdue')}` : ''}`,
      };
    });
    const milestones = dated.flatMap((a, i) =>
      a.milestones.map((m) => ({
        value: [ms(m.dueDate), i],
        name: m.title,
        itemStyle: { color: m.doneAt ? '#0ca678' : m.overdue ? '#e03131' : '#fab005' },
        tip: `${a.ref} · ${m.title}<br/>${f.date(m.dueDate)}${m.doneAt ? ` ✓` : ''}`,
      })),
    );
    const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { tip: string } }) => esc(p.data.tip).replace(/&#60;br\/&#62;/g, '<br/>'),
      },
      grid: { left: 16, right: 24, top: 30, bottom: 40, containLabel: true },
      xAxis: {
        type: 'time',
        min: ms(plan.horizonStart),
        max: ms(plan.horizonEnd),
        axisLabel: { formatter: (v: number) => f.date(new Date(v).toISOString()), hideOverlap: true },
      },
      yAxis: { type: 'category', data: refs, inverse: true, axisTick: { show: false } },
      series: [
        {
          type: 'custom',
          name: t('actionPlans.views.timeline'),
          renderItem: (
            _params: unknown,
            api: {
              value: (i: number) => number;
              coord: (v: number[]) => number[];
              size: (v: number[]) => number[];
              style: () => Record<string, unknown>;
            },
          ) => {
            const y = api.value(0);
            const a = api.coord([api.value(1), y]);
            const b = api.coord([api.value(2), y]);
            const h = api.size([0, 1])[1]! * 0.55;
            const x0 = Math.min(a[0]!, b[0]!);
            const w = Math.max(2, Math.abs(b[0]! - a[0]!));
            const done = (w * api.value(3)) / 100;
            const fromStart = dir === 'rtl' ? x0 + w - done : x0;
            return {
              type: 'group',
              children: [
                {
                  type: 'rect',
                  shape: { x: x0, y: a[1]! - h / 2, width: w, height: h, r: 3 },
                  style: { ...api.style(), opacity: 0.35 },
                },
                {
                  type: 'rect',
                  shape: { x: fromStart, y: a[1]! - h / 2, width: done, height: h, r: 3 },
                  style: api.style(),
                },
              ],
            };
          },
          encode: { x: [1, 2], y: 0 },
          data: bars,
        },
        {
          type: 'scatter',
          name: t('actionPlans.milestone.title'),
          symbol: 'diamond',
          symbolSize: 12,
          z: 5,
          data: milestones,
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: '#e03131', type: 'dashed' },
            label: { formatter: t('actionPlans.timeline.today') },
            data: [{ xAxis: ms(plan.today) }],
          },
        },
      ],
    } as ChartOption;
  }, [dated, plan, f, t, dir]);
  if (dated.length === 0) return <Text c="dimmed">{t('actionPlans.timeline.empty')}</Text>;
  return (
    <Stack gap="xs" data-testid="timeline">
      {ready && (
        <Chart
          option={option}
          height={Math.max(220, 60 + dated.length * 34)}
          label={t('actionPlans.timeline.label')}
        />
      )}
      <Group gap="md">
        <Text size="xs" c="dimmed">
          {t('actionPlans.timeline.legend')}
        </Text>
      </Group>
    </Stack>
  );
}
