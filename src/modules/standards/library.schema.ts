import { z } from 'zod';
import { EVIDENCE_TYPES } from './standards.vocab.ts';

export { EVIDENCE_TYPES };

// The format of a standards library file (YAML or JSON), after CISO Assistant's libraries:
// a URN-identified, versioned document whose objects carry their own translations.
// Administrations load national frameworks in the same format.

export const LOCALES = ['en', 'fr', 'es', 'ru', 'ar', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];

/** Translated text: English is required, other languages optional (fall back to English). */
export const Text = z
  .object({
    en: z.string().min(1).max(4000),
    fr: z.string().min(1).max(4000).optional(),
    es: z.string().min(1).max(4000).optional(),
    ru: z.string().min(1).max(4000).optional(),
    ar: z.string().min(1).max(4000).optional(),
    pt: z.string().min(1).max(4000).optional(),
  })
  .strict();
export type Text = z.infer<typeof Text>;

/** A list of translated paragraphs or bullet points. */
export const TextList = z.array(Text).max(50);

const urn = z
  .string()
  .max(200)
  .regex(
    /^urn:[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9._-]*)+$/,
    'must look like urn:org:library:name (lower case)',
  );

/** Whether a statement was checked against the primary source (docs/domain.md legend). */
export const Verification = z.enum(['verified', 'partly-verified', 'unverified', 'design']);

export const UncacArticle = z
  .object({
    code: z.string().regex(/^\d+(\(\d+\))?(\([a-z]\))?$/, 'an article code such as 13 or 8(5)'),
    title: Text,
    summary: Text,
    verification: Verification,
  })
  .strict();

export const FrameworkNode = z
  .object({
    urn,
    parent_urn: urn.optional(),
    ref_id: z.string().min(1).max(40),
    kind: z.enum(['factor', 'section', 'item']),
    assessable: z.boolean().default(false),
    rad_factor: z.number().int().min(1).max(10).optional(),
    name: Text,
    description: Text.optional(),
    /** What the RAD expects, paraphrased (factors only). */
    expectations: TextList.optional(),
    guidance: Text.optional(),
    typical_evidence: z.array(z.enum(EVIDENCE_TYPES)).max(11).optional(),
    uncac: z.array(z.string().max(20)).max(20).optional(),
    weight: z.number().positive().max(100).default(1),
    verification: Verification.optional(),
    source: z.string().max(500).optional(),
  })
  .strict();
export type FrameworkNode = z.infer<typeof FrameworkNode>;

export const ScaleLevel = z
  .object({ value: z.number().int().min(0).max(100), label: Text, description: Text.optional() })
  .strict();

export const Scale = z
  .object({
    urn,
    name: Text,
    description: Text.optional(),
    is_wco_standard: z.boolean(),
    levels: z.array(ScaleLevel).min(2).max(11),
  })
  .strict();

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/);
export const Matrix = z
  .object({
    urn,
    name: Text,
    description: Text.optional(),
    probability: z
      .array(z.object({ value: z.number().int(), label: Text, description: Text.optional() }).strict())
      .min(2)
      .max(10),
    impact: z
      .array(z.object({ value: z.number().int(), label: Text, description: Text.optional() }).strict())
      .min(2)
      .max(10),
    levels: z
      .array(z.object({ value: z.number().int(), label: Text, color }).strict())
      .min(2)
      .max(10),
    /** grid[p][i] = index into levels, rows = probability (low → high), columns = impact. */
    grid: z.array(z.array(z.number().int().min(0))).min(2),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.grid.length !== m.probability.length)
      ctx.addIssue({
        code: 'custom',
        path: ['grid'],
        message: `needs ${m.probability.length} rows (one per probability level)`,
      });
    m.grid.forEach((row, r) => {
      if (row.length !== m.impact.length)
        ctx.addIssue({
          code: 'custom',
          path: ['grid', r],
          message: `needs ${m.impact.length} cells (one per impact level)`,
        });
      row.forEach((cell, c) => {
        if (cell >= m.levels.length)
          ctx.addIssue({
            code: 'custom',
            path: ['grid', r, c],
            message: `level index ${cell} does not exist`,
          });
      });
    });
  });

export const Framework = z
  .object({
    urn,
    ref_id: z.string().min(1).max(40),
    name: Text,
    description: Text.optional(),
    /** The scale assessments use by default (URN of a scale library object). */
    default_scale: urn.optional(),
    nodes: z.array(FrameworkNode).min(1).max(5000),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.nodes.forEach((n, i) => {
      if (seen.has(n.urn))
        ctx.addIssue({ code: 'custom', path: ['nodes', i, 'urn'], message: `duplicate URN ${n.urn}` });
      if (n.parent_urn && !seen.has(n.parent_urn))
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', i, 'parent_urn'],
          message: `parent ${n.parent_urn} must be listed before this node`,
        });
      seen.add(n.urn);
    });
    if (!f.nodes.some((n) => n.assessable))
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message: 'a framework needs at least one assessable item',
      });
  });

export const LibraryDocument = z
  .object({
    urn,
    ref_id: z.string().min(1).max(40),
    version: z.number().int().min(1),
    kind: z.enum(['framework', 'reference', 'scale', 'matrix']),
    name: Text,
    description: Text.optional(),
    provider: z.string().min(1).max(200),
    publication_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
    licence: z.string().max(200).optional(),
    notice: Text.optional(),
    /** Languages whose texts are machine translations awaiting review. */
    machine_translated: z.array(z.enum(LOCALES)).max(6).optional(),
    dependencies: z.array(urn).max(20).default([]),
    objects: z
      .object({
        framework: Framework.optional(),
        uncac_articles: z.array(UncacArticle).max(100).optional(),
        scales: z.array(Scale).max(20).optional(),
        matrices: z.array(Matrix).max(20).optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const need = {
      framework: 'framework',
      reference: 'uncac_articles',
      scale: 'scales',
      matrix: 'matrices',
    } as const;
    if (!d.objects[need[d.kind]])
      ctx.addIssue({
        code: 'custom',
        path: ['objects', need[d.kind]],
        message: `a ${d.kind} library needs objects.${need[d.kind]}`,
      });
  });
export type LibraryDocument = z.infer<typeof LibraryDocument>;
