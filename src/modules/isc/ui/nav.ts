import { IconUsersGroup } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const iscNav: NavEntry[] = [
  {
    id: 'isc',
    to: '/isc',
    label: (t) => t('isc.nav'),
    description: (t) => t('isc.navDescription'),
    icon: IconUsersGroup,
    permission: 'isc.read',
    order: 610,
  },
];
