import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Logger } from './log.ts';
import type { AuditLog } from './audit/audit.ts';
import type { PermissionRegistry, ModulePermissions } from './access/permissions.ts';
import type { JobQueue, JobDefinition, ScheduleDefinition } from './jobs/queue.ts';
import type { FileStorage } from './storage/storage.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Router } from './http/route.ts';
import type { Notifier } from './notify/notify.ts';
import type { PdfRenderer } from './pdf/pdf.ts';

/** What the platform hands every module. No domain words here. */
export interface Kernel {
  config: Config;
  db: Database;
  log: Logger;
  audit: AuditLog;
  permissions: PermissionRegistry;
  jobs: JobQueue;
  storage: FileStorage;
  mail: Mailer;
  /** In-app notifications with an optional e-mail, each sent once (dedupe key). */
  notify: Notifier;
  /** HTML → PDF through headless Chromium (launched on first use, closed with the app). */
  pdf: PdfRenderer;
}

/**
 * A feature module: owns its routes, permissions, jobs and demo data.
 * server.ts, worker.ts and cli.ts compose an explicit list of these.
 */
export interface Module {
  name: string;
  permissions?: ModulePermissions;
  routes?(router: Router, kernel: Kernel): void;
  /** Job handlers, given the kernel (define them here, enqueue with kernel.jobs.enqueue). */
  jobs?(kernel: Kernel): JobDefinition[];
  schedules?: ScheduleDefinition[];
  /** Runs at every start after migrations (e.g. load shipped reference data). Must be idempotent. */
  onStart?(kernel: Kernel): Promise<void>;
  seedDemo?(kernel: Kernel): Promise<void>;
}
