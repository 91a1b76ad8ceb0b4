import { IconChartLine, IconChartRadar, IconUsersGroup } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const assessmentsNav: NavEntry[] = [
  {
    id: 'assessments',
    to: '/assessments',
    label: (t) => t('assessments.nav'),
    description: (t) => t('assessments.navDescription'),
    icon: IconChartRadar,
    permission: 'assessments.read',
    order: 200,
  },
  {
    id: 'assessments-trend',
    to: '/assessments/trend',
    label: (t) => t('assessments.navTrend'),
    description: (t) => t('assessments.navTrendDescription'),
    icon: IconChartLine,
    permission: 'assessments.read',
    order: 210,
    navOnly: true,
  },
  {
    id: 'assessments-benchmark',
    to: '/assessments/benchmark',
    label: (t) => t('assessments.navBenchmark'),
    description: (t) => t('assessments.navBenchmarkDescription'),
    icon: IconUsersGroup,
    permission: 'assessments.benchmark',
    order: 220,
  },
];
