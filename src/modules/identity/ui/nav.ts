import { IconBuildingCommunity, IconSitemap, IconUserCircle } from '@tabler/icons-react';
import type { NavEntry } from '../../../web/registry';

export const identityNav: NavEntry[] = [
  {
    id: 'organisation',
    to: '/organisation',
    label: (t) => t('nav.organisation'),
    description: (t) => t('nav.organisationDescription'),
    icon: IconSitemap,
    permission: 'identity.members.read',
    order: 700,
  },
  {
    id: 'platform-organisations',
    to: '/platform/organisations',
    label: (t) => t('nav.platformOrganisations'),
    description: (t) => t('nav.platformOrganisationsDescription'),
    icon: IconBuildingCommunity,
    platformAdmin: true,
    order: 750,
  },
  {
    id: 'account',
    to: '/account',
    label: (t) => t('nav.account'),
    description: (t) => t('nav.accountDescription'),
    icon: IconUserCircle,
    order: 800,
  },
];
