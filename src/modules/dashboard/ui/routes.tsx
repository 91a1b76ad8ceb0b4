import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const dashboardRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/dashboard',
  component: lazyRouteComponent(() => import('./dashboard-page'), 'DashboardPage'),
});

export const dashboardAppRoutes: AnyRoute[] = [dashboardRoute];
