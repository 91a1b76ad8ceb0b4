import type { QueryClient } from '@tanstack/react-query';
import { Outlet, createRootRouteWithContext, createRoute, redirect } from '@tanstack/react-router';
import { meQuery } from './session';
import { AppLayout } from './shell/app-layout';
import { OpenLayout } from './shell/open-layout';
import { PublicLayout } from './shell/public-layout';
import { NotFoundPage } from './ui-kit/page-state';

// The route skeleton: a root, a layout for signed-out pages and one for the signed-in app.
// Modules attach their routes to these layouts (src/modules/*/ui/routes.tsx).
export interface RouterContext {
  queryClient: QueryClient;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

export const publicLayoutRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'public',
  component: PublicLayout,
});

export const appLayoutRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: '/login', search: { next: location.href } });
  },
  component: AppLayout,
});

/**
 * Pages that work signed in or out (development tools such as the mail outbox): inside the app
 * shell for a signed-in user, in a plain page otherwise.
 */
export const openLayoutRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'open',
  beforeLoad: async ({ context }) => {
    await context.queryClient.ensureQueryData(meQuery).catch(() => null);
  },
  component: OpenLayout,
});

/** Only same-site paths are accepted as a place to return to after sign-in. */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}
