import { IconInbox } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const reportsNav: NavEntry[] = [
  {
    id: 'reports-inbox',
    to: '/reports',
    label: (t) => t('reports.inbox.nav'),
    description: (t) => t('reports.inbox.navDescription'),
    icon: IconInbox,
    permission: 'reports.handle',
    order: 790,
  },
];
