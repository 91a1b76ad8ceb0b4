import { IconBooks, IconScale } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const standardsNav: NavEntry[] = [
  {
    id: 'standards',
    to: '/standards',
    label: (t) => t('nav.standards'),
    description: (t) => t('nav.standardsDescription'),
    icon: IconScale,
    permission: 'standards.read',
    order: 100,
  },
  {
    id: 'standards-uncac',
    to: '/standards/uncac',
    label: (t) => t('nav.uncac'),
    description: (t) => t('nav.uncacDescription'),
    icon: IconScale,
    permission: 'standards.read',
    order: 110,
    navOnly: true,
  },
  {
    id: 'standards-libraries',
    to: '/standards/libraries',
    label: (t) => t('nav.libraries'),
    description: (t) => t('nav.librariesDescription'),
    icon: IconBooks,
    permission: 'standards.read',
    order: 120,
  },
];
