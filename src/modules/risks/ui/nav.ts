import { IconGridDots } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const risksNav: NavEntry[] = [
  {
    id: 'risks',
    to: '/risks',
    label: (t) => t('risks.nav'),
    description: (t) => t('risks.navDescription'),
    icon: IconGridDots,
    permission: 'risks.read',
    order: 300,
  },
];
