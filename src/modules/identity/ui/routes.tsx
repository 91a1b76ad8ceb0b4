import { createRoute, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { appLayoutRoute, publicLayoutRoute, safeNext } from '../../../web/routes';
import { meQuery } from '../../../web/session';

const loginRoute = createRoute({
  getParentRoute: () => publicLayoutRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { next?: string } =>
    typeof search.next === 'string' ? { next: search.next } : {},
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.ensureQueryData(meQuery).catch(() => null);
    if (me) throw redirect({ href: safeNext(search.next) });
  },
  component: lazyRouteComponent(() => import('./login-page'), 'LoginPage'),
});

const resetRequestRoute = createRoute({
  getParentRoute: () => publicLayoutRoute,
  path: '/reset-password',
  component: lazyRouteComponent(() => import('./reset-password-pages'), 'ResetRequestPage'),
});

const resetConfirmRoute = createRoute({
  getParentRoute: () => publicLayoutRoute,
  path: '/reset-password/$token',
  component: lazyRouteComponent(() => import('./reset-password-pages'), 'ResetConfirmPage'),
});

const inviteRoute = createRoute({
  getParentRoute: () => publicLayoutRoute,
  path: '/invite/$token',
  component: lazyRouteComponent(() => import('./invite-page'), 'InvitePage'),
});

const accountRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('./account-page'), 'AccountPage'),
});

const organisationRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/organisation',
  component: lazyRouteComponent(() => import('./organisation-page'), 'OrganisationPage'),
});

const platformOrganisationsRoute = createRoute({
  getParentRoute: () => appLayoutRoute,
  path: '/platform/organisations',
  component: lazyRouteComponent(() => import('./platform-organisations-page'), 'PlatformOrganisationsPage'),
});

export const identityPublicRoutes = [loginRoute, resetRequestRoute, resetConfirmRoute, inviteRoute] as const;
export const identityAppRoutes = [accountRoute, organisationRoute, platformOrganisationsRoute] as const;
