import { IconGauge } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const dashboardNav: NavEntry[] = [
  {
    id: 'dashboard',
    to: '/dashboard',
    label: (t) => t('dashboard.nav'),
    description: (t) => t('dashboard.navDescription'),
    icon: IconGauge,
    permission: 'dashboard.read',
    order: 150,
  },
];
