import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createHarness, type Harness } from '../testing/harness.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { JobQueue } from './queue.ts';

// Two workers — on a PostgreSQL server, two separate connection pools as two app instances
// would have; on the embedded database, two workers sharing its one connection.
describe('job queue', () => {
  let h: Harness;
  let second: Database;
  const log = pino({ level: 'silent' });
  before(async () => {
    h = await createHarness();
    second = h.config.DATABASE_URL
      ? await openDatabase({ dataDir: '', databaseUrl: h.config.DATABASE_URL, poolSize: 5 })
      : h.kernel.db;
  });
  after(async () => {
    if (second !== h.kernel.db) await second.close();
    await h.close();
  });

  function workers(name: string, run: (p: Record<string, unknown>) => Promise<void>) {
    const w1 = new JobQueue(h.kernel.db, log);
    const w2 = new JobQueue(second, log);
    for (const w of [w1, w2]) w.define({ name, run });
    return [w1, w2] as const;
  }

  it('a job enqueued once runs exactly once with two workers polling', async () => {
    const runs: string[] = [];
    const [w1, w2] = workers('test.once', async (p) => {
      runs.push(String(p.tag));
      await new Promise((r) => setTimeout(r, 50));
    });
    await w1.enqueue(h.kernel.db.owner, 'test.once', { tag: 'only' });
    for (let round = 0; round < 5; round++) await Promise.all([w1.tick(), w2.tick(), w1.tick(), w2.tick()]);
    assert.deepEqual(runs, ['only']);
    const [row] = await h.kernel.db.query<{ status: string; attempts: number }>(
      "select status, attempts from jobs where name = 'test.once'",
    );
    assert.deepEqual(row, { status: 'done', attempts: 1 });
  });

  it('many jobs are shared between workers, each run once', async () => {
    const seen = new Map<number, number>();
    const [w1, w2] = workers('test.many', async (p) => {
      seen.set(Number(p.n), (seen.get(Number(p.n)) ?? 0) + 1);
    });
    for (let n = 0; n < 40; n++) await w1.enqueue(h.kernel.db.owner, 'test.many', { n });
    let more = true;
    while (more) more = (await Promise.all([w1.tick(), w2.tick()])).some((x) => x > 0);
    assert.equal(seen.size, 40);
    assert.ok([...seen.values()].every((c) => c === 1));
  });

  it('a job scheduled for later waits, then runs once', async () => {
    let runs = 0;
    const [w1, w2] = workers('test.later', async () => void runs++);
    await w1.enqueue(h.kernel.db.owner, 'test.later', {}, { runAt: new Date(Date.now() + 600) });
    await Promise.all([w1.tick(), w2.tick()]);
    assert.equal(runs, 0);
    await new Promise((r) => setTimeout(r, 700));
    await Promise.all([w1.tick(), w2.tick(), w1.tick(), w2.tick()]);
    assert.equal(runs, 1);
  });

  it('a dedupe key makes a second enqueue a no-op', async () => {
    const [w1] = workers('test.dedupe', async () => {});
    const first = await w1.enqueue(h.kernel.db.owner, 'test.dedupe', {}, { dedupeKey: 'k1' });
    const again = await w1.enqueue(h.kernel.db.owner, 'test.dedupe', {}, { dedupeKey: 'k1' });
    assert.ok(first);
    assert.equal(again, null);
  });

  it('a due schedule fires once per due time with two workers', async () => {
    let runs = 0;
    const [w1, w2] = workers('test.cron', async () => void runs++);
    for (const w of [w1, w2]) w.schedule({ name: 'test.cron', cron: '*/5 * * * *' });
    await Promise.all([w1.installSchedules(), w2.installSchedules()]);
    // Pretend the schedule is due now.
    await h.kernel.db.query(
      "update job_schedules set next_run_at = now() - interval '1 second' where name = 'test.cron'",
    );
    const fired = await Promise.all([w1.fireDueSchedules(), w2.fireDueSchedules(), w1.fireDueSchedules()]);
    assert.equal(
      fired.reduce((a, b) => a + b, 0),
      1,
    );
    await Promise.all([w1.tick(), w2.tick()]);
    assert.equal(runs, 1);
    const [s] = await h.kernel.db.query<{ later: boolean }>(
      "select next_run_at > now() as later from job_schedules where name = 'test.cron'",
    );
    assert.equal(s!.later, true);
  });

  it('a failing job is retried with back-off, then marked failed', async () => {
    const [w1] = workers('test.fail', async () => {
      throw new Error('boom');
    });
    await w1.enqueue(h.kernel.db.owner, 'test.fail', {}, { maxAttempts: 2 });
    await w1.tick();
    let [row] = await h.kernel.db.query<{
      status: string;
      attempts: number;
      last_error: string;
      later: boolean;
    }>("select status, attempts, last_error, run_at > now() as later from jobs where name = 'test.fail'");
    assert.deepEqual({ ...row }, { status: 'queued', attempts: 1, last_error: 'boom', later: true });
    await h.kernel.db.query("update jobs set run_at = now() where name = 'test.fail'");
    await w1.tick();
    [row] = await h.kernel.db.query(
      "select status, attempts, last_error, run_at > now() as later from jobs where name = 'test.fail'",
    );
    assert.equal(row!.status, 'failed');
    assert.equal(row!.attempts, 2);
  });

  it('a job whose worker died is taken over after its lock expires', async () => {
    let runs = 0;
    const [w1, w2] = workers('test.orphan', async () => void runs++);
    await w1.enqueue(h.kernel.db.owner, 'test.orphan', {});
    const claimed = await w1.claim(); // w1 "crashes" holding the job
    assert.equal(claimed.length, 1);
    await w2.tick();
    assert.equal(runs, 0, 'still locked');
    await h.kernel.db.query(
      "update jobs set locked_until = now() - interval '1 second' where name = 'test.orphan'",
    );
    await w2.tick();
    assert.equal(runs, 1);
  });

  it('a worker claims only the jobs it defines: another name stays queued for the workers that know it', async () => {
    const [w1] = workers('test.known', async () => {});
    await w1.enqueue(h.kernel.db.owner, 'test.unknown', {});
    await w1.enqueue(h.kernel.db.owner, 'test.known', {});
    await w1.tick();
    const rows = await h.kernel.db.query<{ name: string; status: string; attempts: number }>(
      "select name, status, attempts from jobs where name in ('test.known', 'test.unknown') order by name",
    );
    assert.deepEqual(
      rows.map((r) => ({ ...r })),
      [
        { name: 'test.known', status: 'done', attempts: 1 },
        { name: 'test.unknown', status: 'queued', attempts: 0 },
      ],
    );
  });
});
