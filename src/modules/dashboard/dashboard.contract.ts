import { z } from 'zod';
import { LOCALES } from '../../platform/i18n/i18n.ts';

// The executive dashboard: one page per administration, every figure linked to its source.

const FactorScore = z.object({ factor: z.number().int(), score: z.number().nullable() });

export const Dashboard = z.object({
  assessment: z
    .object({
      id: z.uuid(),
      title: z.string(),
      validatedAt: z.iso.datetime({ offset: true }),
      overall: z.number().nullable(),
      factors: z.array(FactorScore.extend({ previous: z.number().nullable(), delta: z.number().nullable() })),
    })
    .nullable(),
  trend: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      validatedAt: z.iso.datetime({ offset: true }),
      overall: z.number().nullable(),
      factors: z.array(FactorScore),
    }),
  ),
  actions: z.object({
    open: z.number().int(),
    overdue: z.number().int(),
    done: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
    overdueList: z.array(
      z.object({
        id: z.uuid(),
        planId: z.uuid(),
        ref: z.string(),
        objective: z.string(),
        dueDate: z.string(),
        factor: z.number().int().nullable(),
      }),
    ),
  }),
  risks: z.array(
    z.object({
      id: z.uuid(),
      ref: z.string(),
      title: z.string(),
      process: z.string(),
      residualScore: z.number(),
      level: z.object({ id: z.string(), label: z.string(), color: z.string() }),
      overdue: z.boolean(),
    }),
  ),
  kpis: z.array(
    z.object({
      id: z.uuid(),
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      direction: z.enum(['increase', 'decrease']),
      baseline: z.number().nullable(),
      target: z.number().nullable(),
      latest: z.object({ periodEnd: z.string(), value: z.number() }).nullable(),
      progress: z.number().nullable(),
      factor: z.number().int().nullable(),
    }),
  ),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const EXPORT_DATASETS = ['responses', 'risks', 'actions', 'kpis'] as const;
export const ExportParams = z.object({ dataset: z.enum(EXPORT_DATASETS) }).strict();
export const ExportQuery = z
  .object({ format: z.enum(['xlsx', 'csv']).default('xlsx'), assessmentId: z.uuid().optional() })
  .strict();
export const ReportParams = z.object({ assessmentId: z.uuid() }).strict();
export const ReportQuery = z.object({ locale: z.enum(LOCALES).optional() }).strict();
