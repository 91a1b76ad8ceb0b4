import { IconBooks } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const libraryNav: NavEntry[] = [
  {
    id: 'library',
    to: '/library',
    label: (t) => t('library.nav'),
    description: (t) => t('library.navDescription'),
    icon: IconBooks,
    permission: 'library.read',
    order: 600,
  },
];
