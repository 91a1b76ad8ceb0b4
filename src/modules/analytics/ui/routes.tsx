import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

export const analyticsAppRoutes: AnyRoute[] = [
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path: '/analytics',
    component: lazyRouteComponent(() => import('./analytics-page'), 'AnalyticsPage'),
  }),
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path: '/analytics/mirror',
    component: lazyRouteComponent(() => import('./mirror-page'), 'MirrorPage'),
  }),
];
