import { hostname } from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Database, Db, Tx } from '../db/client.ts';
import type { TenantTx } from '../db/tenant.ts';
import type { Logger } from '../log.ts';
import { uuidv7 } from '../ids.ts';
import { jobSchedules, jobs } from './jobs.schema.ts';

export interface JobContext {
  id: string;
  tenantId: string | null;
  attempt: number;
  log: Logger;
}

export interface JobDefinition<P = Record<string, unknown>> {
  name: string;
  run(payload: P, ctx: JobContext): Promise<void>;
  /** Seconds a worker may hold the job before another may take it over (crash recovery). */
  timeoutSeconds?: number;
  maxAttempts?: number;
}

export interface ScheduleDefinition {
  /** Also the job name that runs. */
  name: string;
  /** Five-field cron expression, UTC. */
  cron: string;
  payload?: Record<string, unknown>;
}

export interface EnqueueOptions {
  runAt?: Date;
  tenantId?: string | null;
  /** A second enqueue with the same key is ignored: exactly one job per key. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * A PostgreSQL-backed queue (docs/adr/0004): claims with FOR UPDATE SKIP LOCKED so any
 * number of workers in any number of instances never run one job twice; schedules advance
 * by compare-and-set and enqueue with a dedupe key for the same reason. Works unchanged on
 * the embedded database.
 */
export class JobQueue {
  private readonly defs = new Map<string, JobDefinition>();
  private readonly schedules: ScheduleDefinition[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  readonly workerId = `${hostname()}:${process.pid}:${uuidv7().slice(-6)}`;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  define(def: JobDefinition<never>): void {
    if (this.defs.has(def.name)) throw new Error(`job ${def.name} defined twice`);
    this.defs.set(def.name, def as unknown as JobDefinition);
  }

  schedule(s: ScheduleDefinition): void {
    CronExpressionParser.parse(s.cron, { tz: 'UTC' }); // throws early on a bad expression
    this.schedules.push(s);
  }

  /** Enqueue inside the caller's transaction (the job exists only if the change commits). */
  async enqueue(
    tx: Db | Tx | TenantTx,
    name: string,
    payload: Record<string, unknown> = {},
    opts: EnqueueOptions = {},
  ): Promise<string | null> {
    const id = uuidv7();
    const inserted = await (tx as Tx)
      .insert(jobs)
      .values({
        id,
        name,
        payload,
        tenantId: opts.tenantId ?? null,
        runAt: opts.runAt ?? new Date(),
        dedupeKey: opts.dedupeKey ?? null,
        maxAttempts: opts.maxAttempts ?? this.defs.get(name)?.maxAttempts ?? 5,
      })
      .onConflictDoNothing({ target: jobs.dedupeKey })
      .returning({ id: jobs.id });
    return inserted[0]?.id ?? null;
  }

  /** Writes the schedules' rows (first start) without moving existing next-run times. */
  async installSchedules(): Promise<void> {
    for (const s of this.schedules) {
      const next = CronExpressionParser.parse(s.cron, { tz: 'UTC' }).next().toDate();
      await this.db.owner
        .insert(jobSchedules)
        .values({ name: s.name, cron: s.cron, payload: s.payload ?? {}, nextRunAt: next })
        .onConflictDoUpdate({ target: jobSchedules.name, set: { cron: s.cron, payload: s.payload ?? {} } });
    }
  }

  /** Turns due schedules into jobs. Safe with many workers: one wins each tick. */
  async fireDueSchedules(now = new Date()): Promise<number> {
    let fired = 0;
    await this.db.owner.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(jobSchedules)
        .where(lte(jobSchedules.nextRunAt, now))
        .for('update', { skipLocked: true });
      for (const s of due) {
        const next = CronExpressionParser.parse(s.cron, { tz: 'UTC', currentDate: now }).next().toDate();
        await tx
          .update(jobSchedules)
          .set({ nextRunAt: next, lastRunAt: now })
          .where(eq(jobSchedules.name, s.name));
        const id = await this.enqueue(tx, s.name, s.payload as Record<string, unknown>, {
          dedupeKey: `schedule:${s.name}:${s.nextRunAt.toISOString()}`,
        });
        if (id) fired++;
      }
    });
    return fired;
  }

  /** Claims up to `limit` due jobs (and jobs whose worker died) for this worker. */
  async claim(limit = 5): Promise<(typeof jobs.$inferSelect)[]> {
    // The database's clock, not this process's: instances' clocks differ, and a JS Date has only
    // millisecond precision, so a job due at now() (µs) could look not yet due in the same ms.
    const now = sql`now()`;
    // Only the jobs this worker can run (as graphile-worker does): a worker of another version
    // or with fewer modules leaves the others to the workers that know them, instead of failing
    // them with "no handler".
    const names = [...this.defs.keys()];
    if (!names.length) return [];
    return this.db.owner.transaction(async (tx) => {
      const ids = tx
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          and(
            inArray(jobs.name, names),
            or(
              and(eq(jobs.status, 'queued'), lte(jobs.runAt, now)),
              and(eq(jobs.status, 'running'), lte(jobs.lockedUntil, now)),
            ),
          ),
        )
        .orderBy(jobs.runAt)
        .limit(limit)
        .for('update', { skipLocked: true });
      const claimed = await tx
        .update(jobs)
        .set({
          status: 'running',
          lockedBy: this.workerId,
          attempts: sql`${jobs.attempts} + 1`,
          lockedUntil: sql`now() + make_interval(secs => 300)`,
        })
        .where(inArray(jobs.id, ids))
        .returning();
      for (const j of claimed) {
        const timeout = this.defs.get(j.name)?.timeoutSeconds;
        if (timeout && timeout !== 300)
          await tx
            .update(jobs)
            .set({ lockedUntil: sql`now() + make_interval(secs => ${timeout})` })
            .where(eq(jobs.id, j.id));
      }
      return claimed;
    });
  }

  /** One pass: fire schedules, claim and run what is due. Returns the number of jobs run. */
  async tick(): Promise<number> {
    await this.fireDueSchedules();
    const batch = await this.claim();
    for (const job of batch) await this.runOne(job);
    return batch.length;
  }

  private async runOne(job: typeof jobs.$inferSelect): Promise<void> {
    const def = this.defs.get(job.name);
    const log = this.log.child({ job: job.name, jobId: job.id });
    try {
      if (!def) throw new Error(`no handler for job ${job.name}`);
      await def.run(job.payload as Record<string, unknown>, {
        id: job.id,
        tenantId: job.tenantId,
        attempt: job.attempts,
        log,
      });
      await this.db.owner
        .update(jobs)
        .set({ status: 'done', finishedAt: new Date(), lockedUntil: null, lastError: null })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const final = job.attempts >= job.maxAttempts;
      log.warn({ attempt: job.attempts, final, error: message }, 'job failed');
      // Exponential back-off: 10 s, 40 s, 160 s …
      const delay = 10 * 4 ** (job.attempts - 1);
      await this.db.owner
        .update(jobs)
        .set({
          status: final ? 'failed' : 'queued',
          lastError: message.slice(0, 2000),
          lockedUntil: null,
          runAt: final ? job.runAt : sql`now() + make_interval(secs => ${delay})`,
          finishedAt: final ? new Date() : null,
        })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)));
    }
  }

  /** Polls every `intervalMs` until stop(). */
  start(intervalMs = 1000): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      this.running = (async () => {
        try {
          while (!this.stopped && (await this.tick()) > 0) {
            /* drain what is due */
          }
        } catch (e) {
          this.log.error({ err: e }, 'job worker tick failed');
        }
      })();
      await this.running;
      if (!this.stopped) this.timer = setTimeout(loop, intervalMs);
    };
    void this.installSchedules().then(loop, (e) => this.log.error({ err: e }, 'could not install schedules'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
