import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { AppError, validationFailed } from '../errors.ts';

/**
 * File uploads (route option `upload`). The closed list of file types the platform accepts;
 * nothing a browser would render as active content (HTML, SVG, XML) and no executables.
 * A file's type is decided from its bytes, and its extension must agree.
 */
export const FILE_TYPES = [
  'pdf',
  'png',
  'jpeg',
  'gif',
  'webp',
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
  'zip',
  'parquet',
] as const;
export type FileType = (typeof FILE_TYPES)[number];

export const FILE_TYPE_INFO: Record<FileType, { extensions: readonly string[]; mediaType: string }> = {
  pdf: { extensions: ['pdf'], mediaType: 'application/pdf' },
  png: { extensions: ['png'], mediaType: 'image/png' },
  jpeg: { extensions: ['jpg', 'jpeg'], mediaType: 'image/jpeg' },
  gif: { extensions: ['gif'], mediaType: 'image/gif' },
  webp: { extensions: ['webp'], mediaType: 'image/webp' },
  txt: { extensions: ['txt'], mediaType: 'text/plain; charset=utf-8' },
  csv: { extensions: ['csv'], mediaType: 'text/csv; charset=utf-8' },
  docx: {
    extensions: ['docx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  xlsx: {
    extensions: ['xlsx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  pptx: {
    extensions: ['pptx'],
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  },
  odt: { extensions: ['odt'], mediaType: 'application/vnd.oasis.opendocument.text' },
  ods: { extensions: ['ods'], mediaType: 'application/vnd.oasis.opendocument.spreadsheet' },
  odp: { extensions: ['odp'], mediaType: 'application/vnd.oasis.opendocument.presentation' },
  doc: { extensions: ['doc'], mediaType: 'application/msword' },
  xls: { extensions: ['xls'], mediaType: 'application/vnd.ms-excel' },
  ppt: { extensions: ['ppt'], mediaType: 'application/vnd.ms-powerpoint' },
  zip: { extensions: ['zip'], mediaType: 'application/zip' },
  parquet: { extensions: ['parquet'], mediaType: 'application/vnd.apache.parquet' },
};

/** Every type but a bare ZIP archive and columnar data (evidence and attachments). */
export const DOCUMENT_TYPES: readonly FileType[] = FILE_TYPES.filter((t) => t !== 'zip' && t !== 'parquet');

export interface UploadSpec<F = Record<string, never>> {
  /** Largest accepted file in bytes; reading stops at this size (413). */
  maxBytes: number;
  types: readonly FileType[];
  /** Multipart text fields besides the file; without it, no other field is accepted. */
  fields?: ZodType<F>;
}

export interface UploadedFile {
  /** Sanitised: no path, no control or bidi characters, at most 200 characters. */
  filename: string;
  /** Decided from the content (never the client's Content-Type). */
  mediaType: string;
  type: FileType;
  size: number;
  /** Hex SHA-256 of the content. */
  sha256: string;
  data: Buffer;
}

// ---------------------------------------------------------------------------------------------
// File names

const MAX_FILENAME = 200;
// C0/C1 controls, bidi embeddings/overrides/isolates and marks (used to disguise extensions),
// and characters Windows refuses in file names.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff<>:"|?*]/g;

/** A file name safe to store, show and send back: base name only, cleaned, ≤ 200 characters. */
export function sanitizeFilename(raw: string, fallback = 'file'): string {
  const base = (raw.split(/[/\\]/).pop() ?? '')
    .normalize('NFC')
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(UNSAFE, '');
  let name = base.replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  if (!name) name = fallback;
  const chars = Array.from(name);
  if (chars.length > MAX_FILENAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
    if (ext.length > 0 && ext.length <= 16)
      name = chars.slice(0, MAX_FILENAME - ext.length).join('') + ext.join('');
    else name = chars.slice(0, MAX_FILENAME).join('');
  }
  return name;
}

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

// ---------------------------------------------------------------------------------------------
// Content sniffing

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
}

/** The entries of a ZIP archive from its central directory; null when it is not a readable ZIP. */
export function zipEntries(data: Buffer, maxEntries = 20_000): ZipEntry[] | null {
  if (data.length < 22) return null;
  // End of central directory: the last 22 bytes plus an optional comment of up to 65535.
  const start = Math.max(0, data.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = data.length - 22; i >= start; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = data.readUInt16LE(eocd + 10);
  const cdSize = data.readUInt32LE(eocd + 12);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (count > maxEntries || cdOffset + cdSize > data.length) return null;
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) return null;
    const compressedSize = data.readUInt32LE(p + 20);
    const size = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    if (p + 46 + nameLen > data.length) return null;
    entries.push({ name: data.toString('utf8', p + 46, p + 46 + nameLen), compressedSize, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The `mimetype` entry an OpenDocument file stores first and uncompressed. */
function odfMimetype(data: Buffer): string | null {
  if (data.length < 30 || data.readUInt32LE(0) !== 0x04034b50) return null;
  const method = data.readUInt16LE(8);
  const size = data.readUInt32LE(18);
  const nameLen = data.readUInt16LE(26);
  const extraLen = data.readUInt16LE(28);
  if (method !== 0 || size > 200) return null;
  if (data.toString('latin1', 30, 30 + nameLen) !== 'mimetype') return null;
  const at = 30 + nameLen + extraLen;
  return data.toString('latin1', at, at + size);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const startsWith = (data: Buffer, sig: number[] | string, at = 0) => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return data.length >= at + bytes.length && data.subarray(at, at + bytes.length).equals(bytes);
};

function isText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  try {
    utf8.decode(data);
    return true;
  } catch {
    return false;
  }
}

/** What the bytes are, as far as the closed list goes (CFB files answer 'doc'; see `matches`). */
export function sniff(data: Buffer): FileType | 'ole' | null {
  if (startsWith(data, '%PDF-')) return 'pdf';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(data, 'GIF87a') || startsWith(data, 'GIF89a')) return 'gif';
  if (startsWith(data, 'RIFF') && startsWith(data, 'WEBP', 8)) return 'webp';
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  // Apache Parquet: the magic number opens and closes the file (its footer is read from the end).
  if (data.length >= 12 && startsWith(data, 'PAR1') && startsWith(data, 'PAR1', data.length - 4))
    return 'parquet';
  if (startsWith(data, 'PK\u0003\u0004') || startsWith(data, 'PK\u0005\u0006')) {
    const mt = odfMimetype(data);
    if (mt === FILE_TYPE_INFO.odt.mediaType) return 'odt';
    if (mt === FILE_TYPE_INFO.ods.mediaType) return 'ods';
    if (mt === FILE_TYPE_INFO.odp.mediaType) return 'odp';
    const entries = zipEntries(data);
    if (!entries) return null;
    const has = (prefix: string) => entries.some((e) => e.name.startsWith(prefix));
    if (has('[Content_Types].xml')) {
      if (has('word/')) return 'docx';
      if (has('xl/')) return 'xlsx';
      if (has('ppt/')) return 'pptx';
    }
    return 'zip';
  }
  if (isText(data)) return 'txt';
  return null;
}

/** Whether the content is of the claimed type. */
export function matches(claimed: FileType, data: Buffer): boolean {
  const found = sniff(data);
  if (found === claimed) return true;
  if (found === 'ole') return claimed === 'doc' || claimed === 'xls' || claimed === 'ppt';
  if (found === 'txt') return claimed === 'csv';
  // Every office archive is also a ZIP.
  if (claimed === 'zip')
    return found !== null && ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'].includes(found);
  return false;
}

const describe = (found: ReturnType<typeof sniff>) =>
  found === null
    ? 'an unrecognised binary file'
    : found === 'ole'
      ? 'a legacy Office file'
      : `a ${found.toUpperCase()} file`;

/** Decides a file's type from its name and bytes; throws 415 when they disagree or are not allowed. */
export function checkFile(filename: string, data: Buffer, allowed: readonly FileType[]): FileType {
  const ext = extensionOf(filename);
  const allowedExt = allowed.flatMap((t) => FILE_TYPE_INFO[t].extensions.map((e) => `.${e}`)).join(', ');
  const claimed = FILE_TYPES.find((t) => FILE_TYPE_INFO[t].extensions.includes(ext));
  if (!claimed || !allowed.includes(claimed))
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${ext ? `Files of type .${ext}` : 'Files without an extension'} are not accepted here; accepted: ${allowedExt}`,
    );
  if (!matches(claimed, data))
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `The file is named .${ext} but its content is ${describe(sniff(data))}; accepted: ${allowedExt}`,
    );
  return claimed;
}

// ---------------------------------------------------------------------------------------------
// Reading the multipart request

/** Multipart limits besides the file size (also the app-wide defaults, app.ts). */
export const MULTIPART_LIMITS = {
  files: 1,
  fields: 20,
  fieldSize: 64 * 1024,
  parts: 21,
  headerPairs: 50,
} as const;

interface MultipartFieldPart {
  type: 'field';
  fieldname: string;
  value: unknown;
  valueTruncated?: boolean;
  fieldnameTruncated?: boolean;
}
interface MultipartFilePart {
  type: 'file';
  fieldname: string;
  filename: string;
  file: NodeJS.ReadableStream & { truncated?: boolean };
  toBuffer(): Promise<Buffer>;
}
type Part = MultipartFieldPart | MultipartFilePart;

function mapMultipartError(e: unknown): never {
  if (e instanceof AppError) throw e;
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      throw new AppError('PAYLOAD_TOO_LARGE', 'The file is larger than this upload accepts');
    case 'FST_FILES_LIMIT':
      throw new AppError('BAD_REQUEST', 'Send exactly one file, in the part named "file"');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      throw new AppError('BAD_REQUEST', 'The form has too many fields');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
    case 'FST_PROTO_VIOLATION':
      throw new AppError('BAD_REQUEST', 'A form field has a forbidden name');
  }
  throw new AppError('BAD_REQUEST', 'The multipart body is malformed');
}

function uploadedFile(rawName: string, data: Buffer, types: readonly FileType[]): UploadedFile {
  const filename = sanitizeFilename(rawName);
  const type = checkFile(filename, data, types);
  return {
    filename,
    type,
    mediaType: FILE_TYPE_INFO[type].mediaType,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    data,
  };
}

/** 400 naming each invalid form field (`fields.<name>`), for uploads and forms alike. */
const validationError = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  validationFailed('The form fields are not valid', issues, 'fields');

/**
 * An HTML form posted as multipart/form-data (route option `form`): text fields — a name sent
 * several times (checkboxes) arrives as an array — and optionally up to `files.maxFiles` files
 * in the part(s) named `files.name`. A file input left empty (no name, no bytes) is ignored.
 */
export interface FormSpec<F> {
  fields: ZodType<F>;
  files?: {
    name: string;
    maxFiles: number;
    maxBytes: number;
    types: readonly FileType[];
    /**
     * Refused files (too large, refused type, empty, one too many) are listed in `rejected` for
     * the handler to answer — e.g. the form again with its answers and the reason per file —
     * instead of an error that loses what was typed. The handler must then not go on as if
     * they had been sent.
     */
    report?: boolean;
  };
  /** At most this many text fields (default 200), each at most 64 KiB. */
  maxFields?: number;
}

/** A file a form refused, with the reason (see `FormSpec.files.report`). */
export interface RejectedFile {
  filename: string;
  /** Why, for a message in the user's language; `error` says it in English with its status. */
  reason: 'too_large' | 'too_many' | 'empty' | 'type';
  error: AppError;
}

/** A form's file refusals: the error each one answers with when the form does not report them. */
const REFUSED: Record<Exclude<RejectedFile['reason'], 'type'>, (maxFiles: number) => AppError> = {
  too_large: () => new AppError('PAYLOAD_TOO_LARGE', 'A file is larger than this form accepts'),
  too_many: (maxFiles) => new AppError('BAD_REQUEST', `At most ${maxFiles} files`),
  empty: () => new AppError('BAD_REQUEST', 'A file is empty'),
};

export async function readForm<F>(
  req: FastifyRequest,
  spec: FormSpec<F>,
): Promise<{ fields: F; files: UploadedFile[]; rejected: RejectedFile[] }> {
  const fields: Record<string, string | string[]> = Object.create(null);
  const files: UploadedFile[] = [];
  const rejected: RejectedFile[] = [];
  const maxFields = spec.maxFields ?? 200;
  const maxFiles = spec.files?.maxFiles ?? 0;
  try {
    const parts = (req as unknown as { parts(o: object): AsyncIterableIterator<Part> }).parts({
      limits: {
        ...MULTIPART_LIMITS,
        fields: maxFields,
        files: maxFiles + 1,
        parts: maxFields + maxFiles + 1,
        fileSize: spec.files?.maxBytes ?? 1,
      },
      // A file over the limit is cut and marked `truncated` (checked below), not thrown at the
      // end of the iteration: the rest of the form is still read.
      throwFileSizeLimit: false,
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (!part.filename && data.length === 0) continue; // an empty <input type=file>
        if (!spec.files || part.fieldname !== spec.files.name)
          throw new AppError('BAD_REQUEST', `Unexpected file part "${part.fieldname.slice(0, 40)}"`);
        const refused = part.file.truncated
          ? 'too_large'
          : files.length + rejected.length >= spec.files.maxFiles
            ? 'too_many'
            : data.length === 0
              ? 'empty'
              : undefined;
        try {
          if (refused) throw REFUSED[refused](spec.files.maxFiles);
          files.push(uploadedFile(part.filename ?? '', data, spec.files.types)); // type from the bytes
        } catch (e) {
          if (!spec.files.report || !(e instanceof AppError)) throw e;
          rejected.push({
            filename: sanitizeFilename(part.filename ?? ''),
            reason: refused ?? 'type',
            error: e,
          });
        }
      } else {
        const name = part.fieldname;
        if (part.fieldnameTruncated || part.valueTruncated)
          throw new AppError('BAD_REQUEST', 'A form field is too long');
        const value = String(part.value ?? '');
        if (value.includes('\u0000') || name.includes('\u0000'))
          throw new AppError('BAD_REQUEST', 'Text may not contain NUL characters');
        const prev = fields[name];
        fields[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
      }
    }
  } catch (e) {
    mapMultipartError(e);
  }
  const r = spec.fields.safeParse({ ...fields });
  if (!r.success) throw validationError(r.error.issues);
  return { fields: r.data, files, rejected };
}

/** Reads the one file (part `file`) and the text fields of an upload request, within its limits. */
export async function readUpload<F>(
  req: FastifyRequest,
  spec: UploadSpec<F>,
): Promise<{ file: UploadedFile; fields: F }> {
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  try {
    const parts = (req as unknown as { parts(o: object): AsyncIterableIterator<Part> }).parts({
      limits: { ...MULTIPART_LIMITS, fileSize: spec.maxBytes },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw new AppError(
            'BAD_REQUEST',
            `Unexpected file part "${part.fieldname.slice(0, 40)}"; name it "file"`,
          );
        }
        const data = await part.toBuffer();
        if (part.file.truncated)
          throw new AppError('PAYLOAD_TOO_LARGE', 'The file is larger than this upload accepts');
        if (data.length === 0) throw new AppError('BAD_REQUEST', 'The file is empty');
        file = uploadedFile(part.filename ?? '', data, spec.types);
      } else {
        const name = part.fieldname;
        if (part.fieldnameTruncated || part.valueTruncated)
          throw new AppError('BAD_REQUEST', 'A form field is too long');
        if (Object.hasOwn(fields, name))
          throw new AppError('BAD_REQUEST', `The field "${name.slice(0, 40)}" is sent twice`);
        const value = String(part.value ?? '');
        if (value.includes('\u0000') || name.includes('\u0000'))
          throw new AppError('BAD_REQUEST', 'Text may not contain NUL characters');
        fields[name] = value;
      }
    }
  } catch (e) {
    mapMultipartError(e);
  }
  if (!file) throw new AppError('BAD_REQUEST', 'Send exactly one file, in the part named "file"');
  let parsed: F;
  if (spec.fields) {
    const r = spec.fields.safeParse(fields);
    if (!r.success) throw validationError(r.error.issues);
    parsed = r.data;
  } else {
    const extra = Object.keys(fields);
    if (extra.length)
      throw new AppError('VALIDATION_FAILED', `Unexpected form field "${extra[0]!.slice(0, 40)}"`, [
        { path: `fields.${extra[0]!.slice(0, 40)}`, message: 'unexpected' },
      ]);
    parsed = {} as F;
  }
  return { file, fields: parsed };
}
