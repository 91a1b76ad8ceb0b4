import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFRef, PDFStream } from 'pdf-lib';
import { AppError } from '../../platform/errors.ts';
import type { FileType } from '../../platform/http/upload.ts';

/**
 * Metadata removal for report attachments, in memory, before encryption
 * (docs/adr/0023-reporting-encryption.md, "Attachments").
 *
 * - JPEG: only the segments decoding needs are kept (quantisation and Huffman tables, frame,
 *   restart interval, scans and their entropy-coded data, Adobe APP14 for the colour
 *   transform). EXIF/XMP (APP1), ICC (APP2), IPTC (APP13), every other APPn, comments and
 *   anything after the end-of-image marker are dropped. The image data is kept byte for byte.
 * - PNG: a whitelist of chunks (image data, palette, transparency, colour and gamma, pixel size,
 *   animation); tEXt, zTXt, iTXt, eXIf, tIME, iCCP and unknown chunks are dropped, and so is
 *   anything after IEND.
 * - PDF (pdf-lib): the Info dictionary, the file identifier, every XMP metadata stream and every
 *   object the document no longer references (earlier revisions of an edited file) are
 *   removed; the file is written anew without object streams.
 * - Other accepted types (text, office documents) are kept unchanged: the handlers see a
 *   warning that their metadata could not be removed. GIF, WebP and ZIP are refused (415).
 */

/** Types whose metadata this module removes. */
export const CLEANED_TYPES: readonly FileType[] = ['jpeg', 'png', 'pdf'];
/** Types accepted unchanged (metadata not removed: handlers and the reporter are warned). */
export const UNCLEANED_TYPES: readonly FileType[] = [
  'txt',
  'csv',
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'ods',
  'odp',
  'doc',
  'xls',
  'ppt',
];
export const ATTACHMENT_TYPES: readonly FileType[] = [...CLEANED_TYPES, ...UNCLEANED_TYPES];

export interface Cleaned {
  data: Buffer;
  /** True when metadata removal applies to this type (and was done). */
  cleaned: boolean;
  /** What was removed, for the handlers (e.g. ['APP1', 'COM']); never the content. */
  removed: string[];
}

const unreadable = (what: string) =>
  new AppError(
    'UNPROCESSABLE',
    `The ${what} could not be read, so its hidden information (metadata) cannot be removed; save it again or send another file`,
    [{ path: 'file', message: 'unreadable' }],
  );

// ---- JPEG ------------------------------------------------------------------------------------

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
/** Segments decoding needs: SOF0-15 (but not DHT C4, JPG C8, DAC CC handled below), DHT, DQT, DRI, DAC. */
const keepJpeg = (m: number) =>
  (m >= 0xc0 && m <= 0xcf) || // SOFn, DHT (C4), JPG (C8), DAC (CC)
  m === 0xdb || // DQT
  m === 0xdd || // DRI
  m === 0xdc; // DNL

const jpegName = (m: number) =>
  m >= 0xe0 && m <= 0xef ? `APP${m - 0xe0}` : m === 0xfe ? 'COM' : `0x${m.toString(16).toUpperCase()}`;

export function stripJpeg(src: Buffer): Cleaned {
  if (src.length < 4 || src[0] !== 0xff || src[1] !== SOI) throw unreadable('image');
  const out: Buffer[] = [Buffer.from([0xff, SOI])];
  const removed = new Set<string>();
  let p = 2;
  let sawFrame = false;
  let sawScan = false;
  for (;;) {
    // Markers may be preceded by fill bytes (0xFF).
    if (p >= src.length || src[p] !== 0xff) throw unreadable('image');
    while (p < src.length && src[p] === 0xff) p++;
    if (p >= src.length) throw unreadable('image');
    const m = src[p]!;
    p++;
    if (m === EOI) {
      if (!sawFrame || !sawScan) throw unreadable('image');
      out.push(Buffer.from([0xff, EOI]));
      if (p < src.length) removed.add('trailing data');
      return { data: Buffer.concat(out), cleaned: true, removed: [...removed] };
    }
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) throw unreadable('image'); // no length: not here
    if (p + 2 > src.length) throw unreadable('image');
    const len = src.readUInt16BE(p);
    if (len < 2 || p + len > src.length) throw unreadable('image');
    const segment = src.subarray(p - 2, p + len);
    const body = src.subarray(p + 2, p + len);
    p += len;
    const adobe = m === 0xee && body.length >= 12 && body.subarray(0, 5).toString('latin1') === 'Adobe';
    if (adobe) {
      // Only its 12 defined bytes (version, flags, colour transform): nothing else rides along.
      out.push(Buffer.from([0xff, 0xee, 0x00, 14]), body.subarray(0, 12));
      if (body.length > 12) removed.add('APP14 extra');
    } else if (keepJpeg(m) || m === SOS) {
      out.push(segment);
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) sawFrame = true;
    } else {
      removed.add(jpegName(m));
    }
    if (m === SOS) {
      sawScan = true;
      // Entropy-coded data: up to the next marker that is not a stuffed 0xFF00 or a restart.
      const start = p;
      while (p < src.length) {
        if (src[p] === 0xff && p + 1 < src.length) {
          const n = src[p + 1]!;
          if (n === 0x00 || (n >= 0xd0 && n <= 0xd7)) {
            p += 2;
            continue;
          }
          if (n === 0xff) {
            p++;
            continue;
          }
          break;
        }
        p++;
      }
      if (p >= src.length) throw unreadable('image');
      out.push(src.subarray(start, p));
    }
  }
}

// ---- PNG -------------------------------------------------------------------------------------

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunks kept: what rendering needs; no text, time, EXIF, ICC profile or private chunk. */
const PNG_KEEP = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'sBIT',
  'bKGD',
  'hIST',
  'pHYs',
  'acTL',
  'fcTL',
  'fdAT',
]);

export function stripPng(src: Buffer): Cleaned {
  if (src.length < 8 || !src.subarray(0, 8).equals(PNG_SIG)) throw unreadable('image');
  const out: Buffer[] = [PNG_SIG];
  const removed = new Set<string>();
  let p = 8;
  let first = true;
  while (p + 12 <= src.length) {
    const len = src.readUInt32BE(p);
    const type = src.toString('latin1', p + 4, p + 8);
    if (!/^[A-Za-z]{4}$/.test(type) || p + 12 + len > src.length) throw unreadable('image');
    if (first && type !== 'IHDR') throw unreadable('image');
    first = false;
    const chunk = src.subarray(p, p + 12 + len);
    p += 12 + len;
    if (PNG_KEEP.has(type)) out.push(chunk);
    else removed.add(type);
    if (type === 'IEND') {
      if (p < src.length) removed.add('trailing data');
      return { data: Buffer.concat(out), cleaned: true, removed: [...removed] };
    }
  }
  throw unreadable('image');
}

// ---- PDF -------------------------------------------------------------------------------------

/** Every indirect object reachable from the catalog (what the rewritten file keeps). */
function reachable(doc: PDFDocument): Set<string> {
  const seen = new Set<string>();
  const todo: PDFObject[] = [doc.context.trailerInfo.Root!];
  while (todo.length) {
    const o = todo.pop()!;
    if (o instanceof PDFRef) {
      const tag = o.toString();
      if (seen.has(tag)) continue;
      seen.add(tag);
      const target = doc.context.lookup(o);
      if (target) todo.push(target);
    } else if (o instanceof PDFDict) {
      for (const [, v] of o.entries()) todo.push(v);
    } else if (o instanceof PDFArray) {
      for (const v of o.asArray()) todo.push(v);
    } else if (o instanceof PDFStream) {
      todo.push(o.dict);
    }
  }
  return seen;
}

/** What the streams pdf-lib inflates while parsing (object and cross-reference streams) may take. */
export const PDF_INFLATE_BUDGET = 64 * 1024 * 1024;

/**
 * pdf-lib inflates object streams and cross-reference streams when it loads a file, with no
 * bound: a 10 MB upload could inflate to gigabytes (a decompression bomb). Each such stream is
 * inflated here first, within a total budget; over it, the file is refused.
 */
function guardPdfStreams(src: Buffer, budget = PDF_INFLATE_BUDGET) {
  const text = src.toString('latin1');
  for (const m of text.matchAll(/\/Type\s*\/(ObjStm|XRef)\b/g)) {
    const at = text.indexOf('stream', m.index);
    if (at < 0) continue;
    let start = at + 'stream'.length;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      budget -= inflateSync(src.subarray(start, end), { maxOutputLength: Math.max(1, budget) }).length;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || budget <= 0)
        throw new AppError(
          'UNPROCESSABLE',
          'This PDF file expands to far more than its size when read; it cannot be processed. Save it again (print to PDF) and send it',
          [{ path: 'file', message: 'too large once decompressed' }],
        );
      // Not Flate, or not where we looked: pdf-lib decides.
    }
  }
}

export async function stripPdf(src: Buffer): Promise<Cleaned> {
  guardPdfStreams(src);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(src, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    if (/encrypted/i.test(String((e as Error).message)))
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Password-protected (encrypted) PDF files are not accepted: their hidden information cannot be removed. Remove the password and send it again',
      );
    throw unreadable('PDF file');
  }
  const removed = new Set<string>();
  const ctx = doc.context;
  if (ctx.trailerInfo.Info) {
    if (ctx.trailerInfo.Info instanceof PDFRef) ctx.delete(ctx.trailerInfo.Info);
    ctx.trailerInfo.Info = undefined;
    removed.add('Info');
  }
  if (ctx.trailerInfo.ID) {
    ctx.trailerInfo.ID = undefined;
    removed.add('ID');
  }
  const META = PDFName.of('Metadata');
  const TYPE = PDFName.of('Type');
  const drop = (dict: PDFDict) => {
    const m = dict.get(META);
    if (!m) return;
    if (m instanceof PDFRef) ctx.delete(m);
    dict.delete(META);
    removed.add('XMP');
  };
  for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
    const dict = obj instanceof PDFStream ? obj.dict : obj instanceof PDFDict ? obj : undefined;
    if (!dict) continue;
    if (dict.get(TYPE) === META) {
      ctx.delete(ref);
      removed.add('XMP');
      continue;
    }
    drop(dict);
  }
  const keep = reachable(doc);
  for (const [ref] of ctx.enumerateIndirectObjects())
    if (!keep.has(ref.toString())) {
      ctx.delete(ref);
      removed.add('unreferenced objects');
    }
  const data = Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
  return { data, cleaned: true, removed: [...removed] };
}

/** Removes what can be removed; the result is what gets encrypted (the original is dropped). */
export async function clean(type: FileType, data: Buffer): Promise<Cleaned> {
  switch (type) {
    case 'jpeg':
      return stripJpeg(data);
    case 'png':
      return stripPng(data);
    case 'pdf':
      return stripPdf(data);
    default:
      if (!UNCLEANED_TYPES.includes(type))
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Files of type .${type} are not accepted: their hidden information cannot be removed. Send images as JPEG or PNG`,
        );
      return { data, cleaned: false, removed: [] };
  }
}
