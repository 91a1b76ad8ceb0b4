import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute, publicLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const conductAppRoutes: AnyRoute[] = [
  page('/conduct', () => import('./my-code-page'), 'MyCodePage'),
  page('/conduct/versions', () => import('./versions-page'), 'VersionsPage'),
  page('/conduct/campaigns', () => import('./campaigns-page'), 'CampaignsPage'),
  page('/conduct/parties', () => import('./parties-page'), 'PartiesPage'),
  page('/conduct/reports', () => import('./reports-page'), 'ReportsPage'),
];

/** The private-sector code behind a one-time link (no sign-in). */
export const conductPublicRoutes: AnyRoute[] = [
  createRoute({
    getParentRoute: () => publicLayoutRoute,
    path: '/code/$token',
    component: lazyRouteComponent(() => import('./public-page'), 'PublicCodePage'),
  }),
];
