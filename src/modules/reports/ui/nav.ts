import { IconChartBar, IconInbox, IconSpeakerphone } from '@tabler/icons-react';
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
  {
    id: 'reports-channels',
    to: '/reports/channels',
    label: (t) => t('reports.channels.nav'),
    description: (t) => t('reports.channels.navDescription'),
    icon: IconSpeakerphone,
    permission: 'reports.manage',
    order: 791,
  },
  {
    id: 'reports-statistics',
    to: '/reports/statistics',
    label: (t) => t('reports.statistics.nav'),
    description: (t) => t('reports.statistics.navDescription'),
    icon: IconChartBar,
    permission: 'reports.manage',
    order: 792,
  },
];
