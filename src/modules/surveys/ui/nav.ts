import { IconMessageCircleQuestion } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const surveysNav: NavEntry[] = [
  {
    id: 'surveys',
    to: '/surveys',
    label: (t) => t('surveys.nav'),
    description: (t) => t('surveys.navDescription'),
    icon: IconMessageCircleQuestion,
    permission: 'surveys.results',
    order: 800,
  },
];
