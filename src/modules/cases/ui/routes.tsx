import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const casesAppRoutes: AnyRoute[] = [
  page('/cases', () => import('./list-page'), 'CasesPage'),
  page('/cases/statistics', () => import('./statistics-page'), 'CaseStatisticsPage'),
  page('/cases/taxonomy', () => import('./taxonomy-page'), 'CaseTaxonomyPage'),
  page('/cases/$id', () => import('./case-page'), 'CasePage'),
];
