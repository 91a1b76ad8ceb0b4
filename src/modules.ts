import type { Module } from './platform/kernel.ts';
import { platformModule } from './platform/platform.module.ts';
import { identityModule } from './modules/identity/index.ts';
import { standardsModule } from './modules/standards/index.ts';
import { assessmentsModule } from './modules/assessments/index.ts';
import { risksModule } from './modules/risks/index.ts';
import { actionPlansModule } from './modules/action-plans/index.ts';
import { dashboardModule } from './modules/dashboard/index.ts';
import { learningModule } from './modules/learning/index.ts';
import { conductModule } from './modules/conduct/index.ts';
import { declarationsModule } from './modules/declarations/index.ts';
import { postingsModule } from './modules/postings/index.ts';
import { surveysModule } from './modules/surveys/index.ts';
import { reportsModule } from './modules/reports/index.ts';
import { analyticsModule } from './modules/analytics/index.ts';
import { casesModule } from './modules/cases/index.ts';
import { libraryModule } from './modules/library/index.ts';
import { programmeModule } from './modules/programme/index.ts';
import { iscModule } from './modules/isc/index.ts';

/** Every module of this build, in order. Explicit on purpose: no discovery magic. */
export const MODULES: Module[] = [
  platformModule,
  identityModule,
  standardsModule,
  assessmentsModule,
  risksModule,
  actionPlansModule,
  dashboardModule,
  learningModule,
  conductModule,
  declarationsModule,
  postingsModule,
  surveysModule,
  reportsModule,
  analyticsModule,
  casesModule,
  libraryModule,
  programmeModule,
  iscModule,
];
