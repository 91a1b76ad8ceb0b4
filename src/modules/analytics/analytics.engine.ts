import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/**
 * The module's columnar engine (docs/adr/0025): embedded DuckDB over one Parquet file per
 * tenant and dataset version, under `<DATA_DIR>/analytics/<tenant>/<version>.parquet`.
 * Queries stay aggregated — callers get group-by results, never the declarations themselves.
 * DuckDB's API is asynchronous (its work runs on its own threads), so the event loop keeps
 * turning while a query runs. Paths are built here from UUIDs, never from user input.
 */
export interface EngineOptions {
  /** Root of the module's files (`<DATA_DIR>/analytics`). */
  root: string;
  threads?: number;
  memoryLimit?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A SQL string literal (single quotes doubled). */
export const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** A SQL identifier, e.g. a header of the file (double quotes doubled). */
export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Whether a file (a version's Parquet, a staged upload, a cache) is there. */
export const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

/** DuckDB BIGINT / HUGEINT / DECIMAL values as plain JSON numbers (counts stay below 2^53). */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export class AnalyticsEngine {
  private instance: Promise<DuckDBInstance> | undefined;
  constructor(readonly opts: EngineOptions) {}

  private async db(): Promise<DuckDBInstance> {
    this.instance ??= (async () => {
      await fs.mkdir(path.join(this.opts.root, 'tmp'), { recursive: true });
      return DuckDBInstance.create(':memory:', {
        threads: String(this.opts.threads ?? 2),
        memory_limit: this.opts.memoryLimit ?? '3GB',
        temp_directory: path.join(this.opts.root, 'tmp'),
        preserve_insertion_order: 'true',
      });
    })();
    return this.instance;
  }

  /** A fresh connection (its own temporary tables), closed after `fn`. */
  async with<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await (await this.db()).connect();
    try {
      return await fn(c);
    } finally {
      c.closeSync();
    }
  }

  /** Rows of an aggregated query as JSON-safe objects (BIGINT → number); `values` for `$1`, `$2`… */
  async rows<T = Record<string, unknown>>(
    c: DuckDBConnection,
    sql: string,
    values?: DuckDBValue[],
  ): Promise<T[]> {
    const r = await c.runAndReadAll(sql, values);
    return r.getRowObjectsJS().map((row) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) o[k] = typeof v === 'bigint' ? Number(v) : v;
      return o as T;
    });
  }

  /** A query's rows as arrays of JSON-safe cells (BIGINT → number), for tables of rows shown as read. */
  async cells(
    c: DuckDBConnection,
    sql: string,
    values?: DuckDBValue[],
  ): Promise<(string | number | null)[][]> {
    const r = await c.runAndReadAll(sql, values);
    return r
      .getRowsJS()
      .map((row) => row.map((x) => (typeof x === 'bigint' ? Number(x) : (x as string | number | null))));
  }

  tenantDir(tenantId: string): string {
    if (!UUID.test(tenantId)) throw new Error('invalid tenant id');
    return path.join(this.opts.root, tenantId);
  }

  /** Where a dataset version's Parquet file lives. */
  parquetPath(tenantId: string, versionId: string): string {
    if (!UUID.test(versionId)) throw new Error('invalid version id');
    return path.join(this.tenantDir(tenantId), `${versionId}.parquet`);
  }

  rejectsPath(tenantId: string, versionId: string): string {
    if (!UUID.test(versionId)) throw new Error('invalid version id');
    return path.join(this.tenantDir(tenantId), `${versionId}.rejects.csv`);
  }

  async close(): Promise<void> {
    if (!this.instance) return;
    const i = await this.instance;
    this.instance = undefined;
    i.closeSync();
  }
}
