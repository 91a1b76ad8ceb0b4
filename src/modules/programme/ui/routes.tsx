import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

export const programmeAppRoutes: AnyRoute[] = [
  page('/programme', () => import('./pipeline-page'), 'ProgrammePipelinePage'),
  page('/programme/partners', () => import('./partners-page'), 'ProgrammePartnersPage'),
  page('/programme/funding', () => import('./funding-page'), 'ProgrammeFundingPage'),
  page('/programme/activities', () => import('./activities-page'), 'ProgrammeActivitiesPage'),
  page('/programme/interest', () => import('./interest-page'), 'ProgrammeInterestPage'),
  page('/programme/interest/$id', () => import('./interest-eoi-page'), 'ProgrammeInterestEoiPage'),
  page('/programme/donor', () => import('./donor-page'), 'ProgrammeDonorPage'),
  page('/programme/results/$id', () => import('./results-page'), 'ProgrammeResultsPage'),
];
