import { IconBriefcase, IconChartBar, IconListDetails } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const casesNav: NavEntry[] = [
  {
    id: 'cases',
    to: '/cases',
    label: (t) => t('cases.nav'),
    description: (t) => t('cases.navDescription'),
    icon: IconBriefcase,
    permission: 'cases.read',
    order: 800,
  },
  {
    id: 'cases-statistics',
    to: '/cases/statistics',
    label: (t) => t('cases.statisticsNav'),
    description: (t) => t('cases.statisticsNavDescription'),
    icon: IconChartBar,
    permission: 'cases.stats',
    order: 810,
  },
  {
    id: 'cases-taxonomy',
    to: '/cases/taxonomy',
    label: (t) => t('cases.taxonomyNav'),
    description: (t) => t('cases.taxonomyNavDescription'),
    icon: IconListDetails,
    permission: 'cases.manage',
    order: 820,
  },
];
