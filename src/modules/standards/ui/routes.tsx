import { createRoute, lazyRouteComponent, notFound } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const factorsRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/standards',
  component: lazyRouteComponent(() => import('./factors-page'), 'FactorsPage'),
});

const factorRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/standards/factors/$number',
  params: {
    parse: ({ number }) => {
      const n = Number(number);
      if (!Number.isInteger(n) || n < 1 || n > 10) throw notFound();
      return { number: n };
    },
    stringify: ({ number }) => ({ number: String(number) }),
  },
  component: lazyRouteComponent(() => import('./factor-page'), 'FactorPage'),
});

const uncacListRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/standards/uncac',
  component: lazyRouteComponent(() => import('./uncac-pages'), 'UncacListPage'),
});

const uncacRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/standards/uncac/$code',
  component: lazyRouteComponent(() => import('./uncac-pages'), 'UncacArticlePage'),
});

const librariesRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/standards/libraries',
  component: lazyRouteComponent(() => import('./libraries-page'), 'LibrariesPage'),
});

export const standardsAppRoutes = [
  factorsRoute,
  factorRoute,
  uncacListRoute,
  uncacRoute,
  librariesRoute,
] as const;
