import { z } from 'zod';

// Texts arrive resolved in the caller's language (English when a translation is missing).
export const Verification = z.enum(['verified', 'partly-verified', 'unverified', 'design']);

export const UncacRef = z.object({ code: z.string(), title: z.string() });

export const FactorSummary = z.object({
  number: z.number().int().min(1).max(10),
  urn: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  verification: Verification.nullable(),
  uncac: z.array(UncacRef),
  itemCount: z.number().int(),
});
export type FactorSummary = z.infer<typeof FactorSummary>;

export const ChecklistItem = z.object({
  urn: z.string(),
  refId: z.string(),
  name: z.string(),
  guidance: z.string().nullable(),
  typicalEvidence: z.array(z.string()),
  uncac: z.array(UncacRef),
  weight: z.number(),
});

export const FactorDetail = FactorSummary.extend({
  expectations: z.array(z.string()),
  source: z.string().nullable(),
  items: z.array(ChecklistItem),
  library: z.object({
    id: z.uuid(),
    urn: z.string(),
    version: z.number().int(),
    name: z.string(),
    notice: z.string().nullable(),
  }),
});
export type FactorDetail = z.infer<typeof FactorDetail>;

export const UncacArticle = z.object({
  code: z.string(),
  title: z.string(),
  summary: z.string(),
  verification: Verification,
  factors: z.array(z.object({ number: z.number().int(), name: z.string() })),
});
export type UncacArticle = z.infer<typeof UncacArticle>;

export const LibrarySummary = z.object({
  id: z.uuid(),
  urn: z.string(),
  refId: z.string(),
  version: z.number().int(),
  kind: z.enum(['framework', 'reference', 'scale', 'matrix']),
  name: z.string(),
  provider: z.string(),
  scope: z.enum(['built-in', 'national']),
  loadedAt: z.iso.datetime(),
  superseded: z.boolean(),
});
export type LibrarySummary = z.infer<typeof LibrarySummary>;

export const LibraryUploadInput = z
  .object({
    /** YAML or JSON text of a library document (docs/standards-library.md). */
    content: z.string().min(2).max(2_000_000),
  })
  .strict();

export const FactorParam = z.object({ number: z.coerce.number().int().min(1).max(10) }).strict();
export const UncacParam = z
  .object({
    code: z
      .string()
      .regex(/^\d+(\(\d+\))?(\([a-z]\))?$/)
      .max(20),
  })
  .strict();
export const LocaleQuery = z
  .object({ locale: z.enum(['en', 'fr', 'es', 'ru', 'ar', 'pt']).optional() })
  .strict();
