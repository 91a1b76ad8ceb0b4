import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { AppError, type ProblemDetail } from '../../platform/errors.ts';
import { LOCALES } from '../../platform/i18n/i18n.ts';

// The course document (src/modules/learning/courses/<slug>.yaml, or uploaded by an
// administration): its schema, its checks beyond the schema, and lesson rendering.
// Format: /work/helpers/learning-format.md — kept here as the reference in code.

const MAX_TEXT = 2_000;
const MAX_BODY = 120_000;
/** A rendered lesson (one language) must stay under this, so that a lesson page is < 200 kB. */
export const MAX_LESSON_HTML = 150_000;

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens (at most 63)');
const Text = z.record(z.string(), z.string().trim().min(1).max(MAX_TEXT));
const Body = z.record(z.string(), z.string().min(1).max(MAX_BODY));

const Option = z.object({ id: Id, text: Text, correct: z.boolean(), feedback: Text.optional() }).strict();
const base = { id: Id, prompt: Text, feedback: Text.optional() };
const Question = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('single'), options: z.array(Option).min(2).max(8) }).strict(),
  z.object({ ...base, type: z.literal('multiple'), options: z.array(Option).min(2).max(8) }).strict(),
  z.object({ ...base, type: z.literal('true_false'), answer: z.boolean() }).strict(),
  z
    .object({
      ...base,
      type: z.literal('matching'),
      pairs: z
        .array(z.object({ id: Id, left: Text, right: Text }).strict())
        .min(3, 'matching needs 3–6 pairs')
        .max(6, 'matching needs 3–6 pairs'),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('ordering'),
      items: z
        .array(z.object({ id: Id, text: Text }).strict())
        .min(3, 'ordering needs 3–6 items')
        .max(6, 'ordering needs 3–6 items'),
    })
    .strict(),
]);
export type Question = z.infer<typeof Question>;

const Quiz = z
  .object({
    draw: z.int().min(1).max(100),
    pass_mark: z.number().min(0).max(1),
    attempts: z.int().min(0).max(100),
    time_limit_minutes: z.int().min(1).max(600).nullable().optional(),
    questions: z.array(Question).min(1).max(300),
  })
  .strict();
export type Quiz = z.infer<typeof Quiz>;

const Lesson = z.object({ id: Id, title: Text, minutes: z.int().min(1).max(600), body: Body }).strict();
export type Lesson = z.infer<typeof Lesson>;

const CourseModule = z
  .object({ id: Id, title: Text, lessons: z.array(Lesson).min(1).max(60), quiz: Quiz.optional() })
  .strict();
export type CourseModule = z.infer<typeof CourseModule>;

export const CourseDocument = z
  .object({
    slug: Id,
    version: z.int().min(1).max(1_000_000),
    languages: z.array(z.enum(LOCALES)).min(1).max(LOCALES.length),
    title: Text,
    summary: Text,
    certificate: z.boolean().default(true),
    /** Optional: the RAD key factor whose KPI this course's completion rate informs (7 or 9). */
    kpi: z
      .object({ factor: z.int().min(1).max(10) })
      .strict()
      .optional(),
    modules: z.array(CourseModule).min(1).max(40),
  })
  .strict();
export type CourseDocument = z.infer<typeof CourseDocument>;

type Texts = Record<string, string>;

/** Every text of the document with its path (for the language check). */
function* texts(doc: CourseDocument): Generator<[string, Texts]> {
  yield ['title', doc.title];
  yield ['summary', doc.summary];
  for (const [mi, m] of doc.modules.entries()) {
    const mp = `modules.${mi}`;
    yield [`${mp}.title`, m.title];
    for (const [li, l] of m.lessons.entries()) {
      yield [`${mp}.lessons.${li}.title`, l.title];
      yield [`${mp}.lessons.${li}.body`, l.body];
    }
    for (const [qi, q] of (m.quiz?.questions ?? []).entries()) {
      const qp = `${mp}.quiz.questions.${qi}`;
      yield [`${qp}.prompt`, q.prompt];
      if (q.feedback) yield [`${qp}.feedback`, q.feedback];
      if (q.type === 'single' || q.type === 'multiple')
        for (const [oi, o] of q.options.entries()) {
          yield [`${qp}.options.${oi}.text`, o.text];
          if (o.feedback) yield [`${qp}.options.${oi}.feedback`, o.feedback];
        }
      if (q.type === 'matching')
        for (const [pi, p] of q.pairs.entries()) {
          yield [`${qp}.pairs.${pi}.left`, p.left];
          yield [`${qp}.pairs.${pi}.right`, p.right];
        }
      if (q.type === 'ordering')
        for (const [ii, it] of q.items.entries()) yield [`${qp}.items.${ii}.text`, it.text];
    }
  }
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** The checks beyond the schema: languages, unique ids, draw ≤ bank, correct options, size. */
export function courseProblems(doc: CourseDocument): ProblemDetail[] {
  const out: ProblemDetail[] = [];
  const langs = doc.languages;
  for (const d of duplicates(langs)) out.push({ path: 'languages', message: `${d} is listed twice` });
  for (const [path, t] of texts(doc)) {
    for (const l of langs) if (!t[l]) out.push({ path: `${path}.${l}`, message: `missing the ${l} text` });
    for (const k of Object.keys(t))
      if (!langs.includes(k as never))
        out.push({ path: `${path}.${k}`, message: `${k} is not one of the course languages` });
  }
  for (const d of duplicates(doc.modules.map((m) => m.id)))
    out.push({ path: 'modules', message: `module id ${d} is used twice` });
  for (const d of duplicates(doc.modules.flatMap((m) => m.lessons.map((l) => l.id))))
    out.push({ path: 'modules', message: `lesson id ${d} is used twice` });
  for (const d of duplicates(doc.modules.flatMap((m) => (m.quiz?.questions ?? []).map((q) => q.id))))
    out.push({ path: 'modules', message: `question id ${d} is used twice` });
  for (const [mi, m] of doc.modules.entries()) {
    for (const [li, l] of m.lessons.entries())
      for (const lang of langs) {
        const md = l.body[lang];
        if (!md) continue;
        const path = `modules.${mi}.lessons.${li}.body.${lang}`;
        for (const p of markdownProblems(md)) out.push({ path, message: p });
        const size = Buffer.byteLength(renderLesson(md));
        if (size > MAX_LESSON_HTML)
          out.push({ path, message: `the lesson is too long (${size} bytes of HTML); split it` });
      }
    const quiz = m.quiz;
    if (!quiz) continue;
    const qp = `modules.${mi}.quiz`;
    if (quiz.draw > quiz.questions.length)
      out.push({
        path: `${qp}.draw`,
        message: `draws ${quiz.draw} questions from a bank of ${quiz.questions.length}`,
      });
    for (const [qi, q] of quiz.questions.entries()) {
      const path = `${qp}.questions.${qi}`;
      const sub =
        q.type === 'single' || q.type === 'multiple'
          ? q.options.map((o) => o.id)
          : q.type === 'matching'
            ? q.pairs.map((p) => p.id)
            : q.type === 'ordering'
              ? q.items.map((i) => i.id)
              : [];
      for (const d of duplicates(sub)) out.push({ path, message: `id ${d} is used twice in this question` });
      if (q.type === 'single' && q.options.filter((o) => o.correct).length !== 1)
        out.push({
          path: `${path}.options`,
          message: 'a single-choice question has exactly one correct option',
        });
      if (q.type === 'multiple' && !q.options.some((o) => o.correct))
        out.push({
          path: `${path}.options`,
          message: 'a multiple-choice question has at least one correct option',
        });
    }
  }
  return out;
}

function unprocessable(details: ProblemDetail[]): AppError {
  return new AppError(
    'UNPROCESSABLE',
    `The course has ${details.length} problem(s); the first: ${details[0]!.path}: ${details[0]!.message}`,
    details.slice(0, 300),
  );
}

/** Parses a course document (YAML or JSON); 422 listing every problem with its path. */
export function parseCourse(content: string): CourseDocument {
  let raw: unknown;
  try {
    raw = parseYaml(content, { maxAliasCount: 50, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    const msg = e instanceof YAMLParseError ? e.message.split('\n')[0]! : 'not valid YAML or JSON';
    throw new AppError('UNPROCESSABLE', `The file could not be read: ${msg}`, [
      { path: '(file)', message: msg },
    ]);
  }
  const res = CourseDocument.safeParse(raw);
  if (!res.success)
    throw unprocessable(
      res.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
    );
  const problems = courseProblems(res.data);
  if (problems.length) throw unprocessable(problems);
  return res.data;
}

// ---- lessons: Markdown → sanitised HTML ---------------------------------------------------

/** Raw HTML is not part of the format: reported at load time, dropped at render time. */
function markdownProblems(md: string): string[] {
  const out: string[] = [];
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === 'html')
        out.push(`raw HTML is not allowed: ${(t as Tokens.HTML).text.trim().slice(0, 60)}`);
      const children = (t as { tokens?: Token[] }).tokens;
      if (children) walk(children);
      if (t.type === 'list') for (const it of (t as Tokens.List).items) walk(it.tokens);
      if (t.type === 'table') {
        const tb = t as Tokens.Table;
        for (const c of tb.header) walk(c.tokens);
        for (const r of tb.rows) for (const c of r) walk(c.tokens);
      }
    }
  };
  walk(markdown.lexer(md));
  return out.slice(0, 5);
}

const markdown = new Marked({ gfm: true, async: false });
markdown.use({ renderer: { html: () => '' } });

const ASSET = /^\/learning-assets\/[A-Za-z0-9._/-]+$/;
const okImage = (src: string | undefined) => !!src && (/^https:\/\/[^\s]+$/i.test(src) || ASSET.test(src));
/** `![alt](url "640x360")`: a title of the form WIDTHxHEIGHT sizes the image (no layout shift). */
const SIZE = /^(\d{1,4})x(\d{1,4})$/;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'ul',
    'ol',
    'li',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'blockquote',
    'a',
    'img',
  ],
  allowedAttributes: {
    a: ['href', 'rel', 'title'],
    img: ['src', 'alt', 'loading', 'decoding', 'width', 'height'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedSchemes: ['https'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
    img: (tagName, attribs) => {
      const size = SIZE.exec(attribs.title ?? '');
      const out: Record<string, string> = {
        src: attribs.src ?? '',
        alt: attribs.alt ?? '',
        loading: 'lazy',
        decoding: 'async',
      };
      if (size) {
        out.width = size[1]!;
        out.height = size[2]!;
      } else {
        if (attribs.width && /^\d{1,4}$/.test(attribs.width)) out.width = attribs.width;
        if (attribs.height && /^\d{1,4}$/.test(attribs.height)) out.height = attribs.height;
      }
      return { tagName, attribs: out };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !okImage(frame.attribs.src),
};

/**
 * A lesson's Markdown as safe HTML: marked (GFM), then the sanitize-html allow-list —
 * headings, paragraphs, lists, tables, emphasis, code, quotes; links https or relative with
 * rel=noopener; images https or /learning-assets/ only, lazy-loaded, async-decoded, sized.
 */
export function renderLesson(md: string): string {
  const html = markdown.parse(md, { async: false }) as string;
  return sanitizeHtml(html, SANITIZE);
}

/** The text in this language, else the document's first language. */
export function pick(t: Texts | undefined, lang: string, languages: readonly string[]): string {
  if (!t) return '';
  return t[lang] ?? t[languages[0] ?? 'en'] ?? Object.values(t)[0] ?? '';
}

/** The caller's language if the course has it, else the course's first language. */
export function courseLanguage(locale: string, languages: readonly string[]): string {
  return languages.includes(locale) ? locale : (languages[0] ?? 'en');
}
