import { Group, Paper, Skeleton, Stack, Text, Title, useComputedColorScheme } from '@mantine/core';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import type { EoiStatus } from '../programme.vocab';
import type { EoiT } from './types';

/** The statuses a country is coloured by, the most advanced first (declined ones are not shown). */
export const MAP_STATUSES = ['partner', 'eligible_awaiting_funding', 'screening', 'received'] as const;
type MapStatus = (typeof MAP_STATUSES)[number];
const COLORS: Record<MapStatus, string> = {
  partner: '#0ca678',
  eligible_awaiting_funding: '#f08c00',
  screening: '#1c7ed6',
  received: '#91a7ff',
};

export interface MapCountry {
  code: string;
  status: MapStatus;
  /** The administrations of that country in the pipeline, with their own status. */
  administrations: { name: string; status: MapStatus }[];
}

/** Countries by their most advanced pipeline status; requests without a country are apart. */
export function pipelineCountries(items: EoiT[]): { countries: MapCountry[]; noCountry: string[] } {
  const rank = (s: EoiStatus) => MAP_STATUSES.indexOf(s as MapStatus);
  const byCountry = new Map<string, Map<string, MapStatus>>();
  const noCountry = new Set<string>();
  for (const e of items) {
    if (rank(e.status) < 0) continue;
    const code = e.country?.trim().toUpperCase();
    if (!code || !/^[A-Z]{2}$/.test(code)) {
      noCountry.add(e.organisation);
      continue;
    }
    const orgs = byCountry.get(code) ?? new Map<string, MapStatus>();
    const prev = orgs.get(e.organisation);
    if (!prev || rank(e.status) < rank(prev)) orgs.set(e.organisation, e.status as MapStatus);
    byCountry.set(code, orgs);
  }
  const countries = [...byCountry].map(([code, orgs]) => {
    const administrations = [...orgs].map(([name, status]) => ({ name, status }));
    const best = MAP_STATUSES.find((s) => administrations.some((a) => a.status === s))!;
    return { code, status: best, administrations };
  });
  return { countries, noCountry: [...noCountry] };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The Secretariat's pipeline on a world map: each country coloured by its administrations' most
 * advanced status, the administrations' names in the tooltip. The outline and ECharts' map series
 * are loaded on first use (world-map-setup.ts), after the charts.
 */
export function PartnersMap({ items }: { items: EoiT[] }): ReactNode {
  const { t, i18n } = useTranslation();
  const scheme = useComputedColorScheme('light');
  const [setup, setSetup] = useState<typeof import('./world-map-setup') | 'failed' | null>(null);
  useEffect(() => {
    let live = true;
    import('./world-map-setup').then((m) => live && setSetup(m)).catch(() => live && setSetup('failed'));
    return () => {
      live = false;
    };
  }, []);
  const { countries, noCountry } = useMemo(() => pipelineCountries(items), [items]);
  const regionName = useMemo(() => {
    const names = new Intl.DisplayNames([i18n.language], { type: 'region', fallback: 'code' });
    return (code: string) => {
      try {
        return names.of(code) ?? code;
      } catch {
        return code;
      }
    };
  }, [i18n.language]);
  const ready = setup && setup !== 'failed' ? setup : null;
  const offMap = [
    ...noCountry,
    ...(ready
      ? countries
          .filter((c) => !ready.onMap(c.code))
          .flatMap((c) => c.administrations.map((a) => `${a.name} (${c.code})`))
      : []),
  ];

  const option = useMemo((): ChartOption | null => {
    if (!ready) return null;
    const status = (s: MapStatus) => t(`programme.status.${s}`);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; data?: MapCountry }) =>
          p.data
            ? `<b>${escapeHtml(regionName(p.name))}</b><br/>${p.data.administrations
                .map((a) => `${escapeHtml(a.name)} — ${escapeHtml(status(a.status))}`)
                .join('<br/>')}`
            : escapeHtml(regionName(p.name)),
      },
      series: [
        {
          type: 'map',
          map: ready.WORLD,
          roam: true,
          scaleLimit: { min: 1, max: 8 },
          label: { show: false },
          itemStyle: {
            areaColor: scheme === 'dark' ? '#373a40' : '#e9ecef',
            borderColor: scheme === 'dark' ? '#25262b' : '#ffffff',
            borderWidth: 0.5,
          },
          emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffd43b' } },
          select: { disabled: true },
          data: countries.map((c) => ({ ...c, name: c.code, itemStyle: { areaColor: COLORS[c.status] } })),
        },
      ],
    };
  }, [ready, countries, scheme, regionName, t]);

  const summary = t('programme.map.summary', {
    list:
      countries
        .map(
          (c) =>
            `${regionName(c.code)}: ${c.administrations.map((a) => a.name).join(', ')} (${t(`programme.status.${c.status}`)})`,
        )
        .join('; ') || t('programme.empty'),
  });

  return (
    <Paper withBorder p="md" mb="md" data-testid="programme-map">
      <Stack gap="xs">
        <Title order={2} size="h5">
          {t('programme.map.title')}
        </Title>
        {setup === 'failed' ? (
          <Text c="dimmed" size="sm" role="status">
            {t('chart.failed')}
          </Text>
        ) : option ? (
          <Chart option={option} label={summary} height={360} />
        ) : (
          <Skeleton h={360} />
        )}
        <Group gap="md" data-testid="programme-map-legend">
          {MAP_STATUSES.map((s) => (
            <Group gap={6} key={s}>
              <span
                aria-hidden
                style={{ inlineSize: 12, blockSize: 12, background: COLORS[s], display: 'inline-block' }}
              />
              <Text size="sm">
                {t('programme.map.legend', {
                  status: t(`programme.status.${s}`),
                  count: countries.filter((c) => c.status === s).length,
                })}
              </Text>
            </Group>
          ))}
        </Group>
        {offMap.length > 0 && (
          <Text size="sm" c="dimmed" data-testid="programme-map-off">
            {t('programme.map.offMap', { list: offMap.join(', ') })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
