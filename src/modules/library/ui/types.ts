// What the UI reads from /api/library: the server's contracts (type-only imports).
import type { z } from 'zod';
import type {
  Entry,
  EntryInput,
  PublishedDetail,
  SearchResult,
  Submission,
  UseResult,
  VersionSummary,
} from '../library.contract';

export type EntryT = z.infer<typeof Entry>;
export type EntryInputT = z.input<typeof EntryInput>;
export type PublishedDetailT = z.infer<typeof PublishedDetail>;
export type SearchResultT = z.infer<typeof SearchResult>;
export type SubmissionT = z.infer<typeof Submission>;
export type UseResultT = z.infer<typeof UseResult>;
export type VersionSummaryT = z.infer<typeof VersionSummary>;
