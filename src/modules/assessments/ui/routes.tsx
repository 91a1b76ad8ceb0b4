import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const listRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/assessments',
  component: lazyRouteComponent(() => import('./assessments-page'), 'AssessmentsPage'),
});
const trendRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/assessments/trend',
  component: lazyRouteComponent(() => import('./trend-page'), 'TrendPage'),
});
const benchmarkRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/assessments/benchmark',
  component: lazyRouteComponent(() => import('./benchmark-page'), 'BenchmarkPage'),
});
const detailRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/assessments/$id',
  component: lazyRouteComponent(() => import('./assessment-page'), 'AssessmentPage'),
});

export const assessmentsAppRoutes: AnyRoute[] = [listRoute, trendRoute, benchmarkRoute, detailRoute];
