import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const postingsAppRoutes: AnyRoute[] = [
  page('/postings', () => import('./plan-page'), 'PlanPage'),
  page('/postings/plan', () => import('./plan-page'), 'PlanPage'),
  page('/postings/positions', () => import('./positions-page'), 'PositionsPage'),
  page('/postings/history', () => import('./history-page'), 'HistoryPage'),
];
