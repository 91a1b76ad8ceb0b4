import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, it } from 'node:test';

// DuckDB's allocator reads DUCKDB_JE_MALLOC_CONF once, when the library loads: the setting only
// counts if every entry point sets it before any import could load DuckDB (docs/adr/0025).
const ENTRIES = [
  'src/server.ts',
  'src/worker.ts',
  'src/cli.ts',
  'bench/analytics.bench.ts',
  'bench/model.bench.ts',
];

describe('native memory settings', () => {
  it('are the first import of every entry point', () => {
    for (const file of ENTRIES) {
      const first = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('import '));
      assert.match(first ?? '', /^import '(\.\.\/src|\.)\/platform\/native-memory\.ts';$/, file);
    }
  });

  it('set the allocator decay, and leave an operator’s own value alone', () => {
    const read = (env: NodeJS.ProcessEnv) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          "await import('./src/platform/native-memory.ts'); process.stdout.write(process.env.DUCKDB_JE_MALLOC_CONF ?? '')",
        ],
        { env, encoding: 'utf8' },
      );
    const { DUCKDB_JE_MALLOC_CONF: _, ...clean } = process.env;
    assert.equal(read(clean), 'dirty_decay_ms:10000,muzzy_decay_ms:10000');
    assert.equal(read({ ...clean, DUCKDB_JE_MALLOC_CONF: 'dirty_decay_ms:0' }), 'dirty_decay_ms:0');
  });
});
