import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const declarationsAppRoutes: AnyRoute[] = [
  page('/declarations', () => import('./my-declarations-page'), 'MyDeclarationsPage'),
  page('/declarations/approvals', () => import('./review-pages'), 'ApprovalsPage'),
  page('/declarations/review', () => import('./review-pages'), 'ReviewPage'),
  page('/declarations/settings', () => import('./admin-pages'), 'SettingsPage'),
  page('/declarations/statistics', () => import('./admin-pages'), 'StatisticsPage'),
];
