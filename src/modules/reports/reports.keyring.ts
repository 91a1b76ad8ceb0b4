import type { PrivateKey } from './reports.crypto.ts';

/**
 * Unlocked handler private keys, in this process's memory only (never on disk, never in the
 * database), keyed to the sign-in session: 30 minutes after last use, 8 hours at most, gone on
 * lock or restart (docs/adr/0023-reporting-encryption.md).
 */
export class KeyRing {
  private readonly keys = new Map<string, { key: PrivateKey; used: number; since: number }>();
  constructor(
    readonly idleMs = 30 * 60_000,
    readonly maxMs = 8 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  static slot(s: { tenantId: string; userId: string; sessionId: string | null }) {
    return `${s.tenantId}:${s.userId}:${s.sessionId ?? 'token'}`;
  }

  put(slot: string, key: PrivateKey) {
    this.sweep();
    const t = this.now();
    this.keys.set(slot, { key, used: t, since: t });
  }

  get(slot: string): PrivateKey | undefined {
    const e = this.keys.get(slot);
    if (!e) return undefined;
    const t = this.now();
    if (t - e.used > this.idleMs || t - e.since > this.maxMs) {
      this.keys.delete(slot);
      return undefined;
    }
    e.used = t;
    return e.key;
  }

  drop(slot: string) {
    this.keys.delete(slot);
  }

  /** Forgets every session of a user (new key, recovery). */
  dropUser(tenantId: string, userId: string) {
    for (const k of this.keys.keys()) if (k.startsWith(`${tenantId}:${userId}:`)) this.keys.delete(k);
  }

  private sweep() {
    for (const k of [...this.keys.keys()]) this.get(k);
  }
}
