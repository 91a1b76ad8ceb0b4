import './platform/native-memory.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { boot } from './platform/boot.ts';
import { DataDirLockedError } from './platform/db/lock.ts';
import { createLogger } from './platform/log.ts';
import { MODULES } from './modules.ts';
import { createHttpApp } from './app.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './modules/identity/index.ts';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
  const log = createLogger(config.LOG_LEVEL);
  let kernel: Awaited<ReturnType<typeof boot>>;
  try {
    kernel = await boot(MODULES, { config, log });
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(`\n${e.message}\n`);
      process.exit(75);
    }
    throw e;
  }
  if (config.demoData)
    for (const m of MODULES) {
      if (!m.seedDemo) continue;
      const t = performance.now();
      await m.seedDemo(kernel);
      // Seeding is idempotent; the first start's figures tell an operator where start-up time goes.
      log.info({ module: m.name, ms: Math.round(performance.now() - t) }, 'demo data ready');
    }
  const app = await createHttpApp(kernel, MODULES);
  if (config.JOBS === 'in-process') kernel.jobs.start();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await app.close().catch(() => {});
    await kernel.jobs.stop().catch(() => {});
    await kernel.db.close(); // PGlite never fsyncs: a clean close matters (docs/adr/0002)
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    console.error(
      `\nPort ${config.PORT} is already in use on ${config.HOST}. Stop what uses it, or start with PORT=<another port>.\n`,
    );
    await kernel.jobs.stop();
    await kernel.db.close();
    process.exit(74);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  const lines = [
    `Arusha is running on ${url}  (database: ${kernel.db.kind}${kernel.db.kind === 'embedded' ? `, ${config.dataDir}` : ''})`,
    `API documentation: ${url}/api/docs`,
  ];
  if (config.demoData) {
    lines.push('', `Demo logins (password for all: ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS) lines.push(`  ${u.email.padEnd(28)} ${u.roles.join(', ')}`);
    lines.push(`Mail outbox (development): ${url}/dev/outbox`);
  }
  console.log(`\n${lines.join('\n')}\n`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
