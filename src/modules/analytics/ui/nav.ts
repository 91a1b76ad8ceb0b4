import { IconArrowsExchange, IconChartDots3, IconListDetails } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const analyticsNav: NavEntry[] = [
  {
    id: 'analytics',
    to: '/analytics',
    label: (t) => t('analytics.nav'),
    description: (t) => t('analytics.navDescription'),
    icon: IconChartDots3,
    permission: 'analytics.read',
    order: 850,
  },
  {
    id: 'analytics-indicators',
    to: '/analytics/indicators',
    label: (t) => t('analytics.dashboard.nav'),
    description: (t) => t('analytics.dashboard.navDescription'),
    icon: IconListDetails,
    permission: 'analytics.read',
    order: 850.5,
  },
  {
    id: 'analytics-mirror',
    to: '/analytics/mirror',
    label: (t) => t('analytics.mirror.nav'),
    description: (t) => t('analytics.mirror.navDescription'),
    icon: IconArrowsExchange,
    permission: 'analytics.read',
    order: 851,
  },
];
