import {
  IconChartBar,
  IconChecklist,
  IconFileCertificate,
  IconSettings,
  IconShieldSearch,
} from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const declarationsNav: NavEntry[] = [
  {
    id: 'declarations',
    to: '/declarations',
    label: (t) => t('declarations.nav'),
    description: (t) => t('declarations.navDescription'),
    icon: IconFileCertificate,
    permission: 'declarations.declare',
    order: 600,
  },
  {
    id: 'declarations-approvals',
    to: '/declarations/approvals',
    label: (t) => t('declarations.approvalsNav'),
    description: (t) => t('declarations.approvalsNavDescription'),
    icon: IconChecklist,
    permission: 'declarations.approve',
    order: 610,
  },
  {
    id: 'declarations-review',
    to: '/declarations/review',
    label: (t) => t('declarations.reviewNav'),
    description: (t) => t('declarations.reviewNavDescription'),
    icon: IconShieldSearch,
    permission: 'declarations.review',
    order: 620,
  },
  {
    id: 'declarations-settings',
    to: '/declarations/settings',
    label: (t) => t('declarations.settingsNav'),
    description: (t) => t('declarations.settingsNavDescription'),
    icon: IconSettings,
    permission: 'declarations.manage',
    order: 630,
  },
  {
    id: 'declarations-statistics',
    to: '/declarations/statistics',
    label: (t) => t('declarations.statisticsNav'),
    description: (t) => t('declarations.statisticsNavDescription'),
    icon: IconChartBar,
    permission: 'declarations.statistics',
    order: 640,
  },
];
