import path from 'node:path';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { createLogger, type Logger } from './log.ts';
import { AuditLog } from './audit/audit.ts';
import { PermissionRegistry } from './access/permissions.ts';
import { JobQueue } from './jobs/queue.ts';
import { DatabaseStorage, LocalStorage } from './storage/storage.ts';
import { Mailer } from './mail/mailer.ts';
import { Notifier } from './notify/notify.ts';
import { PdfRenderer } from './pdf/pdf.ts';
import type { Kernel, Module } from './kernel.ts';

export interface BootOptions {
  config?: Config;
  log?: Logger;
  db?: Database;
  /** Skip migrations (the database is known to be current, e.g. a migrated test template). */
  skipMigrations?: boolean;
}

/** Opens the database, migrates, and wires the kernel with the given modules' declarations. */
export async function boot(modules: Module[], opts: BootOptions = {}): Promise<Kernel> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const db =
    opts.db ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.dataDir,
      poolSize: config.DATABASE_POOL_SIZE,
    }));
  if (!opts.skipMigrations) await migrate(db);
  const permissions = new PermissionRegistry();
  const jobs = new JobQueue(db, log);
  const mail = new Mailer(db, log, config.SMTP_URL, config.MAIL_FROM);
  const storage =
    config.STORAGE === 'database'
      ? new DatabaseStorage(db)
      : new LocalStorage(path.join(config.dataDir, 'files'));
  const kernel: Kernel = {
    config,
    db,
    log,
    audit: new AuditLog(config.SECRET_KEY),
    permissions,
    jobs,
    storage,
    mail,
    notify: new Notifier(mail, config),
    pdf: new PdfRenderer({ executablePath: config.CHROMIUM_PATH ?? '/usr/bin/chromium', log }),
  };
  jobs.define({ name: 'mail.send', run: async () => void (await mail.flush()) });
  if (mail.delivers) jobs.schedule({ name: 'mail.send', cron: '* * * * *' });
  for (const m of modules) {
    if (m.permissions) permissions.register(m.permissions);
    for (const j of m.jobs?.(kernel) ?? []) jobs.define(j);
    for (const s of m.schedules ?? []) jobs.schedule(s);
  }
  for (const m of modules) await m.onStart?.(kernel);
  return kernel;
}
