// What the UI reads from /api/postings: the server's contracts (type-only imports).
import type { z } from 'zod';
import type { Plan, Position, Posting, Rules } from '../postings.contract';

export type PlanT = z.infer<typeof Plan>;
export type PositionT = z.infer<typeof Position>;
export type PostingT = z.infer<typeof Posting>;
export type RulesT = z.infer<typeof Rules>;
