import './platform/native-memory.ts';
import { boot } from './platform/boot.ts';
import { MODULES } from './modules.ts';

// A job worker without HTTP, for deployments that run web instances with JOBS=off.
const kernel = await boot(MODULES);
kernel.jobs.start();
kernel.log.info({ worker: kernel.jobs.workerId }, 'job worker started');
const stop = async () => {
  await kernel.jobs.stop();
  await kernel.db.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
