import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const iscAppRoutes: AnyRoute[] = [
  page('/isc', () => import('./sessions-page'), 'IscSessionsPage'),
  page('/isc/sessions/$id', () => import('./session-page'), 'IscSessionPage'),
  page('/isc/work', () => import('./work-page'), 'IscWorkPage'),
  page('/isc/recommendations', () => import('./recommendations-page'), 'IscRecommendationsPage'),
];
