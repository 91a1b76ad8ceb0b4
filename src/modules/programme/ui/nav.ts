import { IconCoins, IconHeartHandshake, IconWorld } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const programmeNav: NavEntry[] = [
  {
    id: 'programme',
    to: '/programme',
    label: (t) => t('programme.nav'),
    description: (t) => t('programme.navDescription'),
    icon: IconWorld,
    permission: 'programme.manage',
    order: 610,
  },
  {
    id: 'programme-interest',
    to: '/programme/interest',
    label: (t) => t('programme.navInterest'),
    description: (t) => t('programme.navInterestDescription'),
    icon: IconHeartHandshake,
    permission: 'programme.submit',
    order: 611,
  },
  {
    id: 'programme-donor',
    to: '/programme/donor',
    label: (t) => t('programme.navDonor'),
    description: (t) => t('programme.navDonorDescription'),
    icon: IconCoins,
    permission: 'programme.donor_read',
    order: 612,
  },
];
