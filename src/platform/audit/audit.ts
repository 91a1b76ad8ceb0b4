import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import type { TenantTx } from '../db/tenant.ts';
import type { SystemTx } from '../db/system.ts';
import { auditEvents, auditHeads } from './audit.schema.ts';

/** Platform-level events (sign-ins, library loads) are chained under this pseudo-tenant. */
export const PLATFORM_TENANT = '00000000-0000-0000-0000-000000000000';

export interface AuditEntry {
  actorId: string | null;
  /** Past tense, `module.entity.verb`: `identity.member.roles_changed`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
}

/** Keys sorted recursively, so the hash survives jsonb's reordering. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

export class AuditLog {
  private readonly key: Buffer;
  constructor(secretKey: string) {
    // HMAC, not a bare hash: someone who can write the database but lacks SECRET_KEY
    // cannot recompute a consistent chain after editing it.
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'arusha', 'audit-chain-v1', 32));
  }

  genesis(tenantId: string): string {
    return createHash('sha256').update(`arusha-audit-genesis:${tenantId}`).digest('hex');
  }

  hash(
    prevHash: string,
    e: {
      tenantId: string;
      seq: number;
      at: Date;
      actorId: string | null;
      action: string;
      entityType: string;
      entityId: string | null;
      data: unknown;
    },
  ): string {
    return createHmac('sha256', this.key)
      .update(
        canonical([
          prevHash,
          e.tenantId,
          e.seq,
          e.at.toISOString(),
          e.actorId,
          e.action,
          e.entityType,
          e.entityId,
          e.data,
        ]),
      )
      .digest('hex');
  }

  /** Appends in the caller's transaction: the change and its record commit or fail together. */
  async record(tx: TenantTx | SystemTx, tenantId: string, entry: AuditEntry): Promise<void> {
    const t = tx as Tx;
    await t
      .insert(auditHeads)
      .values({ tenantId, seq: 0, hash: this.genesis(tenantId) })
      .onConflictDoNothing();
    const [head] = await t.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId)).for('update');
    const seq = head!.seq + 1;
    const at = new Date();
    const ev = {
      tenantId,
      seq,
      at,
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      data: JSON.parse(JSON.stringify(entry.data ?? {})) as Record<string, unknown>,
    };
    const hash = this.hash(head!.hash, ev);
    await t.insert(auditEvents).values({ ...ev, prevHash: head!.hash, hash });
    await t.update(auditHeads).set({ seq, hash }).where(eq(auditHeads.tenantId, tenantId));
  }

  /**
   * Recomputes every chain. Reports edited entries (hash mismatch), deleted or inserted
   * entries (sequence gaps, broken links) and truncation (head ahead of the last entry).
   * Streams in pages, so a long log never sits in memory.
   */
  async verify(
    tx: SystemTx,
    onProgress?: (checked: number, total: number) => void,
  ): Promise<AuditVerification> {
    const t = tx as Tx;
    const heads = await t.select().from(auditHeads);
    const [{ total } = { total: 0 }] = await t
      .select({ total: sql<number>`count(*)::int` })
      .from(auditEvents);
    const problems: AuditProblem[] = [];
    let checked = 0;
    const tenants = new Set(heads.map((h) => h.tenantId));
    for (const row of await t.selectDistinct({ tenantId: auditEvents.tenantId }).from(auditEvents))
      tenants.add(row.tenantId);
    for (const tenantId of tenants) {
      let prev = this.genesis(tenantId);
      let expected = 1;
      let lastSeq = 0;
      for (;;) {
        const page = await t
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, lastSeq)))
          .orderBy(asc(auditEvents.seq))
          .limit(1000);
        if (page.length === 0) break;
        for (const e of page) {
          if (e.seq !== expected)
            problems.push({
              tenantId,
              seq: expected,
              kind: 'missing',
              detail: `entries ${expected}–${e.seq - 1} are missing`,
            });
          if (e.prevHash !== prev)
            problems.push({
              tenantId,
              seq: e.seq,
              kind: 'broken_link',
              detail: 'does not follow the previous entry',
            });
          const recomputed = this.hash(e.prevHash, { ...e, at: new Date(e.at) });
          if (recomputed !== e.hash)
            problems.push({
              tenantId,
              seq: e.seq,
              kind: 'edited',
              detail: 'content does not match its hash',
            });
          prev = e.hash;
          expected = e.seq + 1;
          lastSeq = e.seq;
          checked++;
        }
        onProgress?.(checked, total);
      }
      const head = heads.find((h) => h.tenantId === tenantId);
      if (!head) problems.push({ tenantId, seq: lastSeq, kind: 'missing', detail: 'chain head is missing' });
      else if (head.seq !== lastSeq || head.hash !== prev)
        problems.push({
          tenantId,
          seq: head.seq,
          kind: 'missing',
          detail: `the chain ends at ${lastSeq} but its head records ${head.seq}`,
        });
    }
    return { ok: problems.length === 0, checked, tenants: tenants.size, problems };
  }
}

export interface AuditProblem {
  tenantId: string;
  seq: number;
  kind: 'edited' | 'missing' | 'broken_link';
  detail: string;
}
export interface AuditVerification {
  ok: boolean;
  checked: number;
  tenants: number;
  problems: AuditProblem[];
}
