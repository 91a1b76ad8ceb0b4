import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const analyticsAppRoutes: AnyRoute[] = [
  page('/analytics', () => import('./analytics-page'), 'AnalyticsPage'),
  page('/analytics/mirror', () => import('./mirror-page'), 'MirrorPage'),
  page('/analytics/indicators', () => import('./indicators-page'), 'IndicatorsPage'),
  page('/analytics/pairs', () => import('./pairs-page'), 'PairsPage'),
  page('/analytics/alerts/$alertId', () => import('./alert-page'), 'AlertPage'),
  page('/analytics/versions/$versionId/officers/$officerId', () => import('./officer-page'), 'OfficerPage'),
];
