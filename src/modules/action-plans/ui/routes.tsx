import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const plansRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/action-plans',
  component: lazyRouteComponent(() => import('./plans-page'), 'PlansPage'),
});

const planRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/action-plans/$id',
  component: lazyRouteComponent(() => import('./plan-page'), 'PlanPage'),
});

export const actionPlansAppRoutes: AnyRoute[] = [plansRoute, planRoute];
