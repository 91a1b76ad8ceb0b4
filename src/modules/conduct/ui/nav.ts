import { IconChartBar, IconGavel, IconSettings } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const conductNav: NavEntry[] = [
  {
    id: 'conduct',
    to: '/conduct',
    label: (t) => t('conduct.nav'),
    description: (t) => t('conduct.navDescription'),
    icon: IconGavel,
    permission: 'conduct.acknowledge',
    order: 540,
  },
  {
    id: 'conduct-manage',
    to: '/conduct/versions',
    label: (t) => t('conduct.manageNav'),
    description: (t) => t('conduct.manageNavDescription'),
    icon: IconSettings,
    permission: 'conduct.manage',
    order: 541,
  },
  {
    id: 'conduct-reports',
    to: '/conduct/reports',
    label: (t) => t('conduct.reportsNav'),
    description: (t) => t('conduct.reportsNavDescription'),
    icon: IconChartBar,
    permission: 'conduct.reports',
    order: 542,
  },
];
