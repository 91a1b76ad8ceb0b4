import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute, publicLayoutRoute } from '../../../web/routes';

// One lazy chunk per page: the course player and the SCORM runtime stay free of charts.
const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

const myLearningRoute = page('/learning', () => import('./my-learning-page'), 'MyLearningPage');
const playerRoute = page('/learning/enrolments/$id', () => import('./player-page'), 'PlayerPage');
const scormRoute = page('/learning/scorm/$enrolmentId', () => import('./scorm-page'), 'ScormPage');
const coursesRoute = page('/learning/courses', () => import('./courses-page'), 'CoursesPage');
const campaignsRoute = page('/learning/campaigns', () => import('./campaigns-page'), 'CampaignsPage');
const reportsRoute = page('/learning/reports', () => import('./reports-page'), 'ReportsPage');
const certificatesRoute = page(
  '/learning/certificates',
  () => import('./certificates-page'),
  'CertificatesPage',
);

export const learningAppRoutes: AnyRoute[] = [
  myLearningRoute,
  playerRoute,
  scormRoute,
  coursesRoute,
  campaignsRoute,
  reportsRoute,
  certificatesRoute,
];

const verifyRoute = createRoute({
  getParentRoute: () => publicLayoutRoute,
  path: '/verify',
  component: lazyRouteComponent(() => import('./verify-page'), 'VerifyPage'),
});

const verifyCodeRoute = createRoute({
  getParentRoute: () => publicLayoutRoute,
  path: '/verify/$code',
  component: lazyRouteComponent(() => import('./verify-page'), 'VerifyCodePage'),
});

/** Pages without sign-in (certificate verification). */
export const learningPublicRoutes: AnyRoute[] = [verifyRoute, verifyCodeRoute];
