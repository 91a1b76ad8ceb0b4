import { createHash } from 'node:crypto';
import { and, asc, eq, gte, isNotNull } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { courses, enrolments, quizAttempts } from './learning.schema.ts';

// Learning records as xAPI 1.0.3 statements (docs/adr/0017-learning-certificates-scorm.md).
// The actor is an account on this deployment (homePage = PUBLIC_URL, name = the user id), never
// an e-mail address: an LRS is often another organisation's system, and a user id identifies
// the learner to whoever holds the Arusha records without handing out personal contact data.

export const XAPI_VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
} as const;
export type XapiVerb = keyof typeof XAPI_VERBS;

export interface XapiStatement {
  id: string;
  version: '1.0.3';
  actor: { objectType: 'Agent'; account: { homePage: string; name: string } };
  verb: { id: string; display: { 'en-US': string } };
  object: {
    objectType: 'Activity';
    id: string;
    definition: { type: string; name: Record<string, string> };
  };
  result?: {
    completion?: boolean;
    success?: boolean;
    score?: { scaled: number; raw?: number; min?: number; max?: number };
  };
  context: { platform: 'Arusha'; contextActivities?: { parent: { objectType: 'Activity'; id: string }[] } };
  timestamp: string;
}

export const MAX_STATEMENTS = 10_000;

/** A stable UUID (name-based, SHA-256 truncated, version nibble 8) so re-exports do not duplicate. */
export function statementId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const round = (n: number) => Math.round(n * 10000) / 10000;

/** en-US plus the course's own languages, as xAPI language maps (RFC 5646 tags). */
const languageMap = (title: Record<string, string>) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(title ?? {})) out[k === 'en' ? 'en-US' : k] = v;
  return out;
};

export class XapiService {
  constructor(private readonly k: Kernel) {}

  private actor(userId: string): XapiStatement['actor'] {
    return { objectType: 'Agent', account: { homePage: this.k.config.publicUrl, name: userId } };
  }
  courseActivity(slug: string) {
    return `${this.k.config.publicUrl}/learning/courses/${encodeURIComponent(slug)}`;
  }

  /** Completions, scores and quiz results recorded at or after `since`, oldest first. */
  async statements(tx: TenantTx, since?: Date): Promise<XapiStatement[]> {
    const from = since ?? new Date(0);
    const done = await tx
      .select({ e: enrolments, slug: courses.slug, title: courses.title, kind: courses.kind })
      .from(enrolments)
      .innerJoin(courses, eq(courses.id, enrolments.courseId))
      .where(and(isNotNull(enrolments.completedAt), gte(enrolments.completedAt, from)))
      .orderBy(asc(enrolments.completedAt))
      .limit(MAX_STATEMENTS);
    const attempts = await tx
      .select({ a: quizAttempts, userId: enrolments.userId, slug: courses.slug, title: courses.title })
      .from(quizAttempts)
      .innerJoin(enrolments, eq(enrolments.id, quizAttempts.enrolmentId))
      .innerJoin(courses, eq(courses.id, enrolments.courseId))
      .where(and(isNotNull(quizAttempts.submittedAt), gte(quizAttempts.submittedAt, from)))
      .orderBy(asc(quizAttempts.submittedAt))
      .limit(MAX_STATEMENTS);
    const out: XapiStatement[] = [];
    const verb = (v: XapiVerb) => ({ id: XAPI_VERBS[v], display: { 'en-US': v } });
    for (const { e, slug, title, kind } of done) {
      const object = {
        objectType: 'Activity' as const,
        id: this.courseActivity(slug),
        definition: { type: 'http://adlnet.gov/expapi/activities/course', name: languageMap(title) },
      };
      const timestamp = e.completedAt!.toISOString();
      const scorm = (
        e.progress as {
          scorm?: {
            lessonStatus?: string;
            scoreRaw?: number;
            scoreMin?: number | null;
            scoreMax?: number | null;
          };
        }
      ).scorm;
      const score =
        e.score !== null
          ? {
              scaled: round(e.score),
              ...(kind === 'scorm' && typeof scorm?.scoreRaw === 'number'
                ? { raw: scorm.scoreRaw, min: scorm.scoreMin ?? 0, max: scorm.scoreMax ?? 100 }
                : {}),
            }
          : undefined;
      const base = {
        version: '1.0.3' as const,
        actor: this.actor(e.userId),
        object,
        context: { platform: 'Arusha' as const },
        timestamp,
      };
      out.push({
        id: statementId('completed', e.id),
        ...base,
        verb: verb('completed'),
        result: { completion: true, ...(score ? { score } : {}) },
      });
      if (scorm?.lessonStatus === 'passed' || scorm?.lessonStatus === 'failed') {
        const v = scorm.lessonStatus as 'passed' | 'failed';
        out.push({
          id: statementId(v, e.id),
          ...base,
          verb: verb(v),
          result: { success: v === 'passed', ...(score ? { score } : {}) },
        });
      }
      if (score)
        out.push({ id: statementId('scored', e.id), ...base, verb: verb('scored'), result: { score } });
    }
    for (const { a, userId, slug, title } of attempts) {
      if (a.passed === null || a.score === null) continue;
      const v: XapiVerb = a.passed ? 'passed' : 'failed';
      const parent = this.courseActivity(slug);
      out.push({
        id: statementId(v, a.id),
        version: '1.0.3',
        actor: this.actor(userId),
        verb: verb(v),
        object: {
          objectType: 'Activity',
          id: `${parent}/quizzes/${encodeURIComponent(a.moduleId)}`,
          definition: {
            type: 'http://adlnet.gov/expapi/activities/assessment',
            name: Object.fromEntries(
              Object.entries(languageMap(title)).map(([k, t]) => [k, `${t} — ${a.moduleId}`]),
            ),
          },
        },
        result: { success: a.passed, score: { scaled: round(a.score) } },
        context: {
          platform: 'Arusha',
          contextActivities: { parent: [{ objectType: 'Activity', id: parent }] },
        },
        timestamp: a.submittedAt!.toISOString(),
      });
    }
    out.sort((x, y) => x.timestamp.localeCompare(y.timestamp) || x.id.localeCompare(y.id));
    return out.slice(0, MAX_STATEMENTS);
  }
}
