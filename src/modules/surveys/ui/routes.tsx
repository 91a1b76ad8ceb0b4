import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute, publicLayoutRoute } from '../../../web/routes';

// One lazy chunk per page: the answering pages (public and paper) carry no chart library.
const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const surveysAppRoutes: AnyRoute[] = [
  page('/surveys', () => import('./surveys-page'), 'SurveysPage'),
  page('/surveys/$id', () => import('./survey-page'), 'SurveyPage'),
  page('/surveys/$id/results', () => import('./results-page'), 'ResultsPage'),
  page('/surveys/$id/paper', () => import('./paper-page'), 'PaperPage'),
];

/** Pages without sign-in (answering a survey by token or open link; the token stays in the #fragment). */
export const surveysPublicRoutes: AnyRoute[] = [
  createRoute({
    getParentRoute: () => publicLayoutRoute,
    path: '/s',
    component: lazyRouteComponent(() => import('./answer-page'), 'AnswerPage'),
  }),
];
