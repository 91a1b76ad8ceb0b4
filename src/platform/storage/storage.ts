import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { currentTenantTransaction, type Database } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { isUuid } from '../ids.ts';
import { storedFiles } from './storage.schema.ts';

export interface StoredObject {
  key: string;
  size: number;
  sha256: string;
}

/**
 * Where documents and attachments live (docs/adr/0005). `local`: a folder under DATA_DIR,
 * for one instance. `database`: a bytea table, for several instances without a shared disk.
 * Keys are chosen by the platform, never by a user, and are checked anyway.
 */
export interface FileStorage {
  readonly kind: 'local' | 'database';
  put(tenantId: string, key: string, data: Buffer): Promise<StoredObject>;
  get(tenantId: string, key: string): Promise<Buffer>;
  delete(tenantId: string, key: string): Promise<void>;
}

const KEY_RE = /^[a-z0-9][a-z0-9._-]{0,120}(\/[a-z0-9][a-z0-9._-]{0,120}){0,4}$/;
function check(tenantId: string, key: string) {
  if (!isUuid(tenantId) || !KEY_RE.test(key) || key.includes('..'))
    throw new AppError('BAD_REQUEST', 'invalid storage key');
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export class LocalStorage implements FileStorage {
  readonly kind = 'local';
  constructor(private readonly root: string) {}
  private file(tenantId: string, key: string) {
    check(tenantId, key);
    return path.join(this.root, tenantId, key);
  }
  async put(tenantId: string, key: string, data: Buffer) {
    const file = this.file(tenantId, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file); // never a half-written file under the real name
    return { key, size: data.length, sha256: sha256(data) };
  }
  async get(tenantId: string, key: string) {
    try {
      return await fs.readFile(this.file(tenantId, key));
    } catch {
      throw new AppError('NOT_FOUND', 'file not found');
    }
  }
  async delete(tenantId: string, key: string) {
    await fs.rm(this.file(tenantId, key), { force: true });
  }
}

export class DatabaseStorage implements FileStorage {
  readonly kind = 'database';
  constructor(private readonly db: Database) {}
  /** Inside a tenant transaction: that transaction (row-level security applies, and the file
   *  commits or rolls back with the record that points at it); otherwise the owner handle. */
  private get handle() {
    return currentTenantTransaction() ?? this.db.owner;
  }
  async put(tenantId: string, key: string, data: Buffer) {
    check(tenantId, key);
    const hash = sha256(data);
    await this.handle
      .insert(storedFiles)
      .values({ tenantId, key, content: data, size: data.length, sha256: hash })
      .onConflictDoUpdate({
        target: [storedFiles.tenantId, storedFiles.key],
        set: { content: data, size: data.length, sha256: hash },
      });
    return { key, size: data.length, sha256: hash };
  }
  async get(tenantId: string, key: string) {
    check(tenantId, key);
    const [row] = await this.handle
      .select({ content: storedFiles.content })
      .from(storedFiles)
      .where(and(eq(storedFiles.tenantId, tenantId), eq(storedFiles.key, key)));
    if (!row) throw new AppError('NOT_FOUND', 'file not found');
    return row.content;
  }
  async delete(tenantId: string, key: string) {
    check(tenantId, key);
    await this.handle
      .delete(storedFiles)
      .where(and(eq(storedFiles.tenantId, tenantId), eq(storedFiles.key, key)));
  }
}
