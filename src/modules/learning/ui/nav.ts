import { IconCertificate, IconChartBar, IconSchool, IconSettings } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const learningNav: NavEntry[] = [
  {
    id: 'learning',
    to: '/learning',
    label: (t) => t('learning.nav'),
    description: (t) => t('learning.navDescription'),
    icon: IconSchool,
    permission: 'learning.learn',
    order: 500,
  },
  {
    id: 'learning-manage',
    to: '/learning/courses',
    label: (t) => t('learning.manageNav'),
    description: (t) => t('learning.manageNavDescription'),
    icon: IconSettings,
    permission: 'learning.manage',
    order: 510,
  },
  {
    id: 'learning-reports',
    to: '/learning/reports',
    label: (t) => t('learning.reportsNav'),
    description: (t) => t('learning.reportsNavDescription'),
    icon: IconChartBar,
    permission: 'learning.reports',
    order: 520,
  },
  {
    id: 'learning-certificates',
    to: '/learning/certificates',
    label: (t) => t('learning.certificatesNav'),
    description: (t) => t('learning.certificatesNavDescription'),
    icon: IconCertificate,
    permission: 'learning.reports',
    order: 530,
  },
];
