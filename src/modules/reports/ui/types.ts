// What the handler pages read from /api/reports: the server's contracts (type-only imports).
import type { z } from 'zod';
import type { CaseOpened, KeyStatus, ReportDetail, ReportItem } from '../reports.contract';

export type KeyStatusT = z.infer<typeof KeyStatus>;
export type ReportItemT = z.infer<typeof ReportItem>;
export type ReportDetailT = z.infer<typeof ReportDetail>;
export type CaseOpenedT = z.infer<typeof CaseOpened>;
