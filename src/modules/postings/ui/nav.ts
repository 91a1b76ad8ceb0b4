import { IconArrowsExchange } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const postingsNav: NavEntry[] = [
  {
    id: 'postings',
    to: '/postings',
    label: (t) => t('postings.nav'),
    description: (t) => t('postings.navDescription'),
    icon: IconArrowsExchange,
    permission: 'postings.read',
    order: 650,
  },
];
