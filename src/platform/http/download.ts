import type { Readable } from 'node:stream';
import { sanitizeFilename } from './upload.ts';

/**
 * A file a handler returns instead of JSON (a route without `response`): route.ts sends it
 * as an attachment with Content-Disposition (RFC 6266, UTF-8 name per RFC 5987/8187),
 * `X-Content-Type-Options: nosniff` and `Cache-Control: no-store`. A Readable is read after
 * the route's transaction has ended: stream from storage or memory, not from that transaction.
 */
export class FileResponse {
  readonly filename: string;
  readonly mediaType: string;
  constructor(
    filename: string,
    mediaType: string,
    readonly data: Buffer | Readable,
  ) {
    this.filename = sanitizeFilename(filename, 'download');
    // A media type is ours, never the user's; refuse anything that could split a header.
    if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(; ?charset=[a-z0-9_-]+)?$/i.test(mediaType))
      throw new Error(`Invalid media type: ${mediaType}`);
    this.mediaType = mediaType;
  }
}

export function download(f: { filename: string; mediaType: string; data: Buffer | Readable }): FileResponse {
  return new FileResponse(f.filename, f.mediaType, f.data);
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded`. */
export function contentDisposition(filename: string): string {
  const clean = sanitizeFilename(filename, 'download');
  const ascii = clean.normalize('NFKD').replace(/[^\x20-\x7e]/g, (c) => (/\p{M}/u.test(c) ? '' : '_'));
  const quoted = ascii.replace(/["\\]/g, '_').replace(/%/g, '_') || 'download';
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${quoted}"; filename*=UTF-8''${encoded}`;
}
