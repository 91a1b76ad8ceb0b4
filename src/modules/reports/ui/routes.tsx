import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

export const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(load as never, name as never),
  });

// The handlers' pages (keys, inbox, a report) and the channel administrators' pages (channels,
// questionnaire builder).
export const reportsAppRoutes: AnyRoute[] = [
  page('/reports', () => import('./inbox-page'), 'ReportsInboxPage'),
  page('/reports/keys', () => import('./keys-page'), 'ReportKeysPage'),
  page('/reports/$id', () => import('./report-page'), 'ReportPage'),
  page('/reports/$id/escrow', () => import('./escrow-page'), 'EscrowReportPage'),
  page('/reports/channels', () => import('./channels-page'), 'ChannelsPage'),
  page('/reports/statistics', () => import('./statistics-page'), 'ReportStatisticsPage'),
  page('/reports/channels/$id', () => import('./channels-editor'), 'ChannelEditorPage'),
];
