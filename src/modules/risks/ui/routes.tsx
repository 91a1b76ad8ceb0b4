import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appLayoutRoute } from '../../../web/routes';

const page = (path: string, file: () => Promise<Record<string, unknown>>, name: string) =>
  createRoute({
    getParentRoute: () => appLayoutRoute,
    path,
    component: lazyRouteComponent(file as never, name as never),
  });

export const risksAppRoutes: AnyRoute[] = [
  page('/risks', () => import('./register-page'), 'RisksPage'),
  page('/risks/new', () => import('./risk-form'), 'NewRiskPage'),
  page('/risks/heatmap', () => import('./heatmap-page'), 'HeatmapPage'),
  page('/risks/snapshots', () => import('./snapshots-page'), 'SnapshotsPage'),
  page('/risks/processes', () => import('./processes-page'), 'ProcessesPage'),
  page('/risks/settings', () => import('./settings-page'), 'SettingsPage'),
  page('/risks/import', () => import('./import-page'), 'ImportPage'),
  page('/risks/$id', () => import('./risk-page'), 'RiskPage'),
  page('/risks/$id/edit', () => import('./risk-form'), 'EditRiskPage'),
];
