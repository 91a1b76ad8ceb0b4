import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const libraryAppRoutes: AnyRoute[] = [
  page('/library', () => import('./search-page'), 'LibrarySearchPage'),
  page('/library/mine', () => import('./mine-page'), 'LibraryMinePage'),
  page('/library/moderation', () => import('./moderation-page'), 'LibraryModerationPage'),
  page('/library/entries/new', () => import('./edit-page'), 'LibraryNewEntryPage'),
  page('/library/entries/$id', () => import('./edit-page'), 'LibraryEditEntryPage'),
  page('/library/$id', () => import('./entry-page'), 'LibraryEntryPage'),
];
