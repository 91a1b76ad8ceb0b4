import type { QueryClient } from '@tanstack/react-query';
import { createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { identityAppRoutes, identityPublicRoutes } from '../modules/identity/ui/routes';
import { standardsAppRoutes } from '../modules/standards/ui/routes';
import { assessmentsAppRoutes } from '../modules/assessments/ui/routes';
import { risksAppRoutes } from '../modules/risks/ui/routes';
import { actionPlansAppRoutes } from '../modules/action-plans/ui/routes';
import { dashboardAppRoutes } from '../modules/dashboard/ui/routes';
import { learningAppRoutes, learningPublicRoutes } from '../modules/learning/ui/routes';
import { conductAppRoutes, conductPublicRoutes } from '../modules/conduct/ui/routes';
import { declarationsAppRoutes } from '../modules/declarations/ui/routes';
import { postingsAppRoutes } from '../modules/postings/ui/routes';
import { surveysAppRoutes, surveysPublicRoutes } from '../modules/surveys/ui/routes';
import { analyticsAppRoutes } from '../modules/analytics/ui/routes';
import { libraryAppRoutes } from '../modules/library/ui/routes';
import { iscAppRoutes } from '../modules/isc/ui/routes';
import { programmeAppRoutes } from '../modules/programme/ui/routes';
import { casesAppRoutes } from '../modules/cases/ui/routes';
import { reportsAppRoutes } from '../modules/reports/ui/routes';
import { HomePage } from './pages/home';
import { appLayoutRoute, openLayoutRoute, publicLayoutRoute, rootRoute } from './routes';
import { NotFoundPage, PageLoader, RouteError } from './ui-kit/page-state';

const homeRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/',
  component: HomePage,
});

const devOutboxRoute = createRoute({
  getParentRoute: () => openLayoutRoute,
  path: '/dev/outbox',
  component: lazyRouteComponent(() => import('./pages/dev-outbox'), 'DevOutboxPage'),
});

const routeTree = rootRoute.addChildren([
  publicLayoutRoute.addChildren([
    ...identityPublicRoutes,
    ...learningPublicRoutes,
    ...surveysPublicRoutes,
    ...conductPublicRoutes,
  ]),
  appLayoutRoute.addChildren([
    homeRoute,
    ...standardsAppRoutes,
    ...identityAppRoutes,
    ...assessmentsAppRoutes,
    ...risksAppRoutes,
    ...actionPlansAppRoutes,
    ...dashboardAppRoutes,
    ...learningAppRoutes,
    ...conductAppRoutes,
    ...declarationsAppRoutes,
    ...postingsAppRoutes,
    ...surveysAppRoutes,
    ...analyticsAppRoutes,
    ...libraryAppRoutes,
    ...iscAppRoutes,
    ...programmeAppRoutes,
    ...casesAppRoutes,
    ...reportsAppRoutes,
  ]),
  openLayoutRoute.addChildren([devOutboxRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PageLoader,
    defaultPendingMs: 300,
    defaultErrorComponent: RouteError,
    defaultNotFoundComponent: NotFoundPage,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
