import { Skeleton, Text, useComputedColorScheme, useDirection } from '@mantine/core';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { theme } from '../theme';

export type ChartOption = EChartsCoreOption;

export interface ChartProps {
  option: ChartOption;
  /** Accessible description of what the chart shows (the chart is an image to assistive tech). */
  label: string;
  height?: number;
  /** A click on a data item (bar, point, cell): lets a chart lead to the records behind it. */
  onItemClick?: (item: { dataIndex: number; seriesIndex: number; name: string }) => void;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const mapAxes = (axes: unknown, fn: (a: Obj) => Obj): unknown =>
  Array.isArray(axes) ? axes.map((a) => (isObj(a) ? fn(a) : a)) : isObj(axes) ? fn(axes) : axes;

const PALETTE = {
  light: {
    text: '#343a40',
    line: '#adb5bd',
    split: '#e9ecef',
    series: ['#1971c2', '#2f9e44', '#e8590c', '#7048e8'],
  },
  dark: {
    text: '#c9c9c9',
    line: '#5c5f66',
    split: '#373a40',
    series: ['#4dabf7', '#69db7c', '#ffa94d', '#b197fc'],
  },
};

/** Adapts an option to the page: colours for the scheme, and mirrored axes in right-to-left. */
export function adaptOption(option: ChartOption, dir: 'ltr' | 'rtl', scheme: 'light' | 'dark'): ChartOption {
  const p = PALETTE[scheme];
  const o = { ...(option as Obj) };
  const axisStyle = (a: Obj): Obj => ({
    ...a,
    axisLabel: { color: p.text, ...(isObj(a.axisLabel) ? a.axisLabel : {}) },
    axisLine: { lineStyle: { color: p.line }, ...(isObj(a.axisLine) ? a.axisLine : {}) },
    splitLine: { lineStyle: { color: p.split }, ...(isObj(a.splitLine) ? a.splitLine : {}) },
    nameTextStyle: { color: p.text, ...(isObj(a.nameTextStyle) ? a.nameTextStyle : {}) },
  });
  o.xAxis = mapAxes(o.xAxis, (a) => axisStyle(dir === 'rtl' ? { ...a, inverse: !a.inverse } : a));
  o.yAxis = mapAxes(o.yAxis, (a) =>
    axisStyle(dir === 'rtl' ? { ...a, position: a.position === 'right' ? 'left' : 'right' } : a),
  );
  o.backgroundColor ??= 'transparent';
  o.color ??= p.series;
  // The page's font by name, not 'inherit': ECharts measures labels (legend spacing, axis
  // margins) on a canvas that inherits nothing, so 'inherit' measured them in its 10px default
  // while the SVG drew them in the page's 12px font, and legend items ran into each other.
  o.textStyle = {
    color: p.text,
    fontFamily: theme.fontFamily,
    fontSize: 12,
    ...(isObj(o.textStyle) ? o.textStyle : {}),
  };
  o.legend = mapAxes(o.legend, (l) => ({
    ...l,
    textStyle: { color: p.text, ...(isObj(l.textStyle) ? l.textStyle : {}) },
  }));
  return o as ChartOption;
}

/** A generic ECharts chart. ECharts is loaded on first use with a dynamic import(). */
export function Chart({ option, label, height = 260, onItemClick }: ChartProps): ReactNode {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const { dir } = useDirection();
  const scheme = useComputedColorScheme('light');

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    import('./echarts-setup')
      .then(({ echarts }) => {
        const el = ref.current;
        if (disposed || !el) return;
        const instance = echarts.init(el, undefined, { renderer: 'svg' });
        chart.current = instance;
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(el);
        setState('ready');
      })
      .catch(() => {
        if (!disposed) setState('failed');
      });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (state === 'ready') chart.current?.setOption(adaptOption(option, dir, scheme), true);
  }, [option, dir, scheme, state]);

  useEffect(() => {
    const c = chart.current;
    if (state !== 'ready' || !c || !onItemClick) return;
    const handler = (p: { dataIndex: number; seriesIndex?: number; name: string }) =>
      onItemClick({ dataIndex: p.dataIndex, seriesIndex: p.seriesIndex ?? 0, name: p.name });
    c.on('click', handler as never);
    return () => {
      c.off('click', handler as never);
    };
  }, [state, onItemClick]);

  return (
    <div style={{ position: 'relative', inlineSize: '100%', blockSize: height }}>
      <div
        ref={ref}
        role="img"
        aria-label={label}
        className="arusha-chart"
        dir="ltr"
        style={{ inlineSize: '100%', blockSize: '100%' }}
      />
      {state === 'loading' && (
        <Skeleton
          style={{ position: 'absolute', insetBlockStart: 0, insetInlineStart: 0 }}
          h={height}
          w="100%"
        />
      )}
      {state === 'failed' && (
        <Text c="dimmed" size="sm" role="status">
          {t('chart.failed')}
        </Text>
      )}
    </div>
  );
}
