import path from 'node:path';
import { z } from 'zod';

// The only reader of process.env. Everything else receives a Config.
const DEV_SECRET = 'arusha-development-secret-do-not-use-in-production';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
  DEMO_DATA: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Arusha <no-reply@localhost>'),
  STORAGE: z.enum(['local', 'database']).default('local'),
  TRUST_PROXY: bool.default(false),
  JOBS: z.enum(['in-process', 'off']).default('in-process'),
  WEB_DIST: z.string().default('./dist/web'),
  CHROMIUM_PATH: z.string().optional(),
  /** The Secretariat's IATI organisation identifier (reporting-org/@ref, prefix of iati-identifier). */
  IATI_REPORTING_ORG_REF: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/, 'letters, digits and hyphens')
    .default('XM-DAC-WCO'),
});

export type Config = z.infer<typeof schema> & {
  demoData: boolean;
  production: boolean;
  publicUrl: string;
  dataDir: string;
  webDist: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const production = c.NODE_ENV === 'production';
  const demoData = c.DEMO_DATA ?? !production;
  const problems: string[] = [];
  if (production && c.SECRET_KEY === DEV_SECRET)
    problems.push('SECRET_KEY: set a secret of your own in production');
  if (production && demoData) problems.push('DEMO_DATA: demo data is refused in production');
  if (production && !c.PUBLIC_URL)
    problems.push('PUBLIC_URL: required in production (used in e-mailed links)');
  if (problems.length) throw new ConfigError(problems);
  return {
    ...c,
    demoData,
    production,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(c.DATA_DIR),
    webDist: path.resolve(c.WEB_DIST),
  };
}

/**
 * The command line's language settings, read here as every variable is: `ARUSHA_LANG`, then the
 * system's `LANG` (`fr_FR.UTF-8`). Unchecked and apart from loadConfig — a server never reads them,
 * and the CLI decides what to do with a value it does not know.
 */
export function cliLanguageEnv(env: Record<string, string | undefined> = process.env): {
  ARUSHA_LANG?: string;
  LANG?: string;
} {
  return { ARUSHA_LANG: env.ARUSHA_LANG || undefined, LANG: env.LANG || undefined };
}
