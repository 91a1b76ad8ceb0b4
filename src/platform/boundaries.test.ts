import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

// The architecture's rules (ARCHITECTURE.md), checked on the source so that they hold.
const SRC = path.resolve(import.meta.dirname, '..');
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? files(path.join(dir, e.name))
        : /\.(ts|tsx)$/.test(e.name)
          ? [path.join(dir, e.name)]
          : [],
    );
const all = files(SRC).map((f) => ({ file: path.relative(SRC, f), text: fs.readFileSync(f, 'utf8') }));
const imports = (text: string) => [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
const isTest = (f: string) => f.endsWith('.test.ts') || f.startsWith('platform/testing/');
const resolve = (from: string, spec: string) => path.normalize(path.join(path.dirname(from), spec));

describe('architecture boundaries', () => {
  it('the cross-tenant database handle is imported only by platform code and the listed administration code', () => {
    const allowed = new Set([
      'cli.ts',
      'modules/identity/identity.auth.ts',
      'modules/identity/identity.service.ts',
      'modules/identity/identity.seed.ts',
      'modules/standards/standards.service.ts',
      // The certificate signing key: a table the application role cannot read (docs/adr/0017).
      'modules/learning/learning.certificates.ts',
      // loads the shipped courses (tenant-less rows) at start, like the standards library
      'modules/learning/learning.shipped.ts',
    ]);
    const offenders = all
      .filter((f) => !isTest(f.file) && !f.file.startsWith('platform/'))
      .filter((f) => imports(f.text).some((s) => s.endsWith('/db/system.ts')))
      .map((f) => f.file)
      .filter((f) => !allowed.has(f));
    assert.deepEqual(offenders, []);
  });

  it("a module reaches another module only through that module's index.ts", () => {
    const offenders: string[] = [];
    for (const f of all.filter((x) => x.file.startsWith('modules/') && !isTest(x.file))) {
      const own = f.file.split('/')[1];
      for (const s of imports(f.text).filter((x) => x.startsWith('.'))) {
        const target = resolve(f.file, s);
        const [top, mod, ...rest] = target.split(path.sep);
        if (top === 'modules' && mod !== own && rest.join('/') !== 'index.ts')
          offenders.push(`${f.file} → ${target}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('UI code imports contracts, never services, queries, routes or the platform', () => {
    const ui = all.filter((f) => f.file.startsWith('web/') || /^modules\/[^/]+\/ui\//.test(f.file));
    const offenders: string[] = [];
    for (const f of ui) {
      for (const s of imports(f.text).filter((x) => x.startsWith('.'))) {
        const target = resolve(f.file, s);
        if (
          target.startsWith('platform/') ||
          /\.(service|queries|routes|schema|auth|seed|permissions)\.ts$/.test(target) ||
          target === 'modules.ts'
        )
          offenders.push(`${f.file} → ${target}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('only the config module reads process.env', () => {
    // native-memory.ts writes a variable DuckDB's allocator reads as it loads; it reads no setting.
    const allowed = ['platform/config.ts', 'platform/native-memory.ts'];
    const offenders = all
      .filter((f) => !isTest(f.file) && !allowed.includes(f.file) && /process\.env/.test(f.text))
      .map((f) => f.file);
    assert.deepEqual(offenders, []);
  });

  it('only queries and platform code touch tables directly in module code (no SQL in routes)', () => {
    const offenders = all
      .filter(
        (f) =>
          /\.routes\.ts$/.test(f.file) &&
          /from\s+'drizzle-orm'|\.select\(|\.insert\(|\.update\(/.test(f.text),
      )
      .map((f) => f.file);
    assert.deepEqual(offenders, []);
  });
});
