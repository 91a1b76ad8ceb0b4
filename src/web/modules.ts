import { IconHome, IconMailbox } from '@tabler/icons-react';
import { identityNav } from '../modules/identity/ui/nav';
import { standardsNav } from '../modules/standards/ui/nav';
import { assessmentsNav } from '../modules/assessments/ui/nav';
import { risksNav } from '../modules/risks/ui/nav';
import { actionPlansNav } from '../modules/action-plans/ui/nav';
import { dashboardNav } from '../modules/dashboard/ui/nav';
import { learningNav } from '../modules/learning/ui/nav';
import { conductNav } from '../modules/conduct/ui/nav';
import { declarationsNav } from '../modules/declarations/ui/nav';
import { postingsNav } from '../modules/postings/ui/nav';
import { surveysNav } from '../modules/surveys/ui/nav';
import { analyticsNav } from '../modules/analytics/ui/nav';
import { libraryNav } from '../modules/library/ui/nav';
import { iscNav } from '../modules/isc/ui/nav';
import { casesNav } from '../modules/cases/ui/nav';
import { reportsNav } from '../modules/reports/ui/nav';
import { programmeNav } from '../modules/programme/ui/nav';
import type { NavEntry } from './registry';
import type { MeT, Health } from './types';
import { hasPermission, isDevelopment } from './session';

// The explicit list of modules in the UI (no magic discovery), like src/server.ts.
const shellNav: NavEntry[] = [
  { id: 'home', to: '/', label: (t) => t('nav.home'), icon: IconHome, order: 0, navOnly: true },
  {
    id: 'dev-outbox',
    to: '/dev/outbox',
    label: (t) => t('nav.devOutbox'),
    description: (t) => t('nav.devOutboxDescription'),
    icon: IconMailbox,
    devOnly: true,
    order: 900,
  },
];

export const NAV_ENTRIES: readonly NavEntry[] = [
  ...shellNav,
  ...standardsNav,
  ...identityNav,
  ...assessmentsNav,
  ...risksNav,
  ...actionPlansNav,
  ...dashboardNav,
  ...learningNav,
  ...conductNav,
  ...declarationsNav,
  ...postingsNav,
  ...surveysNav,
  ...analyticsNav,
  ...libraryNav,
  ...iscNav,
  ...casesNav,
  ...reportsNav,
  ...programmeNav,
].sort((a, b) => a.order - b.order);

export function visibleEntries(me: MeT, health: Health | undefined): NavEntry[] {
  return NAV_ENTRIES.filter(
    (e) =>
      hasPermission(me, e.permission) &&
      (!e.platformAdmin || me.user.isPlatformAdmin) &&
      (!e.devOnly || isDevelopment(health)),
  );
}
