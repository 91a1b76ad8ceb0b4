import { IconListCheck } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const actionPlansNav: NavEntry[] = [
  {
    id: 'action-plans',
    to: '/action-plans',
    label: (t) => t('actionPlans.nav'),
    description: (t) => t('actionPlans.navDescription'),
    icon: IconListCheck,
    permission: 'action-plans.read',
    order: 400,
  },
];
