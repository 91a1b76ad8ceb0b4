import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults for a laptop', () => {
    const c = loadConfig({});
    assert.equal(c.PORT, 8080);
    assert.equal(c.demoData, true);
    assert.equal(c.DATABASE_URL, undefined);
    assert.equal(c.publicUrl, 'http://localhost:8080');
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SECRET_KEY: 'short', LOG_LEVEL: 'loud' });
      assert.fail('should refuse');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const joined = e.problems.join('\n');
      for (const key of ['PORT', 'DATABASE_URL', 'SECRET_KEY', 'LOG_LEVEL'])
        assert.match(joined, new RegExp(key));
      assert.equal(e.problems.length, 4);
    }
  });

  it('production refuses demo data and default secrets', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.ok(e.problems.some((p) => p.startsWith('SECRET_KEY')));
        assert.ok(
          e.problems.some((p) => p.startsWith('DEMO_DATA')) ||
            e.problems.some((p) => p.startsWith('PUBLIC_URL')),
        );
        return true;
      },
    );
    assert.throws(
      () =>
        loadConfig({
          NODE_ENV: 'production',
          SECRET_KEY: 'x'.repeat(40),
          DEMO_DATA: 'true',
          PUBLIC_URL: 'https://arusha.example',
        }),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith('DEMO_DATA')),
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      SECRET_KEY: 'x'.repeat(40),
      PUBLIC_URL: 'https://arusha.example/',
    });
    assert.equal(ok.demoData, false);
    assert.equal(ok.publicUrl, 'https://arusha.example');
  });
});
