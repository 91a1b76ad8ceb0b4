import { suppressGroups } from '../../platform/statistics.ts';
import type { BandsConfig, Cell, Results, SurveyQuestion } from './surveys.contract.ts';
import { AGE_BANDS, GENDER_BANDS, GRADE_BANDS, MIN_CELL_FLOOR } from './surveys.vocab.ts';

// Results by RAD factor and respondent group with small-cell suppression. ONE place: the API,
// the UI (which only shows what the API gives) and every export (CSV, XLSX) go through
// buildResults(), so no figure for a group under the threshold can leave the server.

export type By = Results['by'];
export interface StoredResponse {
  bands: Record<string, string>;
  answers: Record<string, unknown>;
}

/** The threshold actually applied: the survey's, never below the floor. */
export const threshold = (minCell: number) => Math.max(MIN_CELL_FLOOR, minCell);

export const SUPPRESSED: Cell = { suppressed: true, n: null, score: null, favourable: null };

/** 0–100 score of one answer, or null when the question is not scored (choice, text). */
export function answerScore(q: SurveyQuestion, v: unknown): number | null {
  let s: number | null = null;
  if (q.kind === 'likert5' && typeof v === 'number' && v >= 1 && v <= 5) s = ((v - 1) / 4) * 100;
  else if (q.kind === 'frequency' && typeof v === 'number' && v >= 0 && v <= 4) s = (v / 4) * 100;
  else if (q.kind === 'yesno' && typeof v === 'boolean') s = v ? 100 : 0;
  if (s === null) return null;
  return q.polarity === 'negative' ? 100 - s : s;
}

/** Likert, frequency and yes/no answers are scored; choices and free text are counted only. */
export const isScored = (q: SurveyQuestion) =>
  q.kind === 'likert5' || q.kind === 'frequency' || q.kind === 'yesno';

const round1 = (x: number) => Math.round(x * 10) / 10;

interface Tally {
  n: number;
  sum: number;
  fav: number;
  answered: number;
}

/** Respondents with at least one scored answer among these questions, and their scores. */
function tally(questions: SurveyQuestion[], responses: StoredResponse[]): Tally {
  let n = 0;
  let sum = 0;
  let fav = 0;
  let answered = 0;
  for (const r of responses) {
    const scores = questions
      .map((q) => answerScore(q, r.answers[q.id]))
      .filter((s): s is number => s !== null);
    if (!scores.length) continue;
    n++;
    sum += scores.reduce((a, b) => a + b, 0) / scores.length;
    fav += scores.filter((s) => s > 50).length;
    answered += scores.length;
  }
  return { n, sum, fav, answered };
}

function toCell({ n, sum, fav, answered }: Tally, hide: boolean): Cell {
  if (hide) return SUPPRESSED;
  return { suppressed: false, n, score: round1(sum / n), favourable: round1((fav / answered) * 100) };
}

/** One cell: hidden when asked to, or when fewer than k answered these questions. */
function cell(questions: SurveyQuestion[], responses: StoredResponse[], k: number, hide: boolean): Cell {
  const t = tally(questions, responses);
  return toCell(t, hide || t.n < k);
}

/** The groups a band can take (configured regions for region). */
export function groupKeys(by: By, bands: BandsConfig): string[] {
  if (by === 'gender') return [...GENDER_BANDS];
  if (by === 'age') return [...AGE_BANDS];
  if (by === 'grade') return [...GRADE_BANDS];
  if (by === 'region') return [...bands.regions];
  return [];
}
export const NOT_STATED = '_not_stated';

export function buildResults(input: {
  surveyId: string;
  name: string;
  status: Results['status'];
  minCell: number;
  bands: BandsConfig;
  questions: SurveyQuestion[];
  responses: StoredResponse[];
  by: By;
  /** Renders a question's and an option's text in the reader's language. */
  label: (q: SurveyQuestion, optionId?: string) => string;
}): Results {
  const k = threshold(input.minCell);
  const { questions, responses, by } = input;
  const total = responses.length;
  const allHidden = total < k;
  const keys = by === 'none' ? [] : [...groupKeys(by, input.bands), NOT_STATED];
  const members = new Map(keys.map((key) => [key, [] as StoredResponse[]]));
  for (const r of responses) {
    if (by === 'none') continue;
    const key = r.bands[by];
    members.get(key && members.has(key) ? key : NOT_STATED)!.push(r);
  }
  const groups = suppressGroups(
    keys.map((key) => ({ key, n: members.get(key)!.length })),
    k,
  ).map((g) => ({ ...g, suppressed: g.suppressed || allHidden }));
  const factors = [...new Set(questions.map((q) => q.factor))].sort((a, b) => a - b);
  const scored = (f: number) => questions.filter((q) => q.factor === f && isScored(q));
  return {
    surveyId: input.surveyId,
    name: input.name,
    status: input.status,
    minCell: k,
    by,
    total: allHidden ? null : total,
    groups: groups.map((g) => ({ key: g.key, n: g.suppressed ? null : g.n, suppressed: g.suppressed })),
    factors: factors
      .filter((f) => scored(f).length)
      .map((f) => ({
        factor: f,
        overall: cell(scored(f), responses, k, allHidden),
        // Answers are optional: a group published as a whole may have fewer than k answers on
        // this factor. Its cell is then hidden, and the complementary rule applies again within
        // the factor, or the overall figure minus the others would give it away.
        groups: suppressGroups(
          groups.map((g) => {
            const t = tally(scored(f), members.get(g.key)!);
            return { key: g.key, t, n: t.n, suppressed: g.suppressed };
          }),
          k,
        ).map((g) => ({ key: g.key, cell: toCell(g.t, g.suppressed) })),
      })),
    questions: questions.map((q) => {
      const answered = responses.filter((r) => r.answers[q.id] !== undefined).length;
      const hidden = allHidden || answered < k;
      const overall: Cell = isScored(q)
        ? cell([q], responses, k, hidden)
        : hidden
          ? SUPPRESSED
          : { suppressed: false, n: answered, score: null, favourable: null };
      return {
        id: q.id,
        factor: q.factor,
        kind: q.kind,
        text: input.label(q),
        overall,
        distribution: hidden || q.kind === 'text' ? null : distribution(q, responses, input.label),
      };
    }),
    comments: allHidden
      ? []
      : questions
          .filter((q) => q.kind === 'text')
          .flatMap((q) =>
            responses
              .map((r) => r.answers[q.id])
              .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
              .map((text) => ({ questionId: q.id, text: text.trim() })),
          )
          .sort((a, b) => a.questionId.localeCompare(b.questionId) || a.text.localeCompare(b.text)),
  };
}

const LIKERT = ['1', '2', '3', '4', '5'];
const FREQ = ['0', '1', '2', '3', '4'];

function distribution(
  q: SurveyQuestion,
  responses: StoredResponse[],
  label: (q: SurveyQuestion, optionId?: string) => string,
) {
  const keys =
    q.kind === 'likert5'
      ? LIKERT
      : q.kind === 'frequency'
        ? FREQ
        : q.kind === 'yesno'
          ? ['yes', 'no']
          : (q.options ?? []).map((o) => o.id);
  const counts = new Map(keys.map((key) => [key, 0]));
  for (const r of responses) {
    const v = r.answers[q.id];
    const vals = Array.isArray(v) ? v : v === undefined ? [] : [v];
    for (const x of vals) {
      const key = typeof x === 'boolean' ? (x ? 'yes' : 'no') : String(x);
      if (counts.has(key)) counts.set(key, counts.get(key)! + 1);
    }
  }
  return keys.map((key) => ({
    key,
    label: q.kind === 'single' || q.kind === 'multiple' ? label(q, key) : key,
    count: counts.get(key)!,
  }));
}

/** The rows every export writes: one per factor (and group), suppressed cells empty. */
export function exportRows(
  r: Results,
  factorName: (f: number) => string,
  groupName: (key: string) => string,
) {
  const row = (factor: number, group: string, c: Cell) => ({
    factor: `${factor}. ${factorName(factor)}`,
    group,
    respondents: c.suppressed ? null : c.n,
    score: c.suppressed ? null : c.score,
    favourable: c.suppressed ? null : c.favourable,
    suppressed: c.suppressed ? `< ${r.minCell}` : '',
  });
  return r.factors.flatMap((f) => [
    row(f.factor, groupName('_all'), f.overall),
    ...f.groups.map((g) => row(f.factor, groupName(g.key), g.cell)),
  ]);
}
