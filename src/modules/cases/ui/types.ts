// What the UI reads from /api/cases: the server's contracts (type-only imports).
import type { z } from 'zod';
import type { Candidate, CaseDetail, CaseSummary, Settings, Statistics } from '../cases.contract';

export type CaseSummaryT = z.infer<typeof CaseSummary>;
export type CaseDetailT = z.infer<typeof CaseDetail>;
export type CandidateT = z.infer<typeof Candidate>;
export type SettingsT = z.infer<typeof Settings>;
export type StatisticsT = z.infer<typeof Statistics>;
