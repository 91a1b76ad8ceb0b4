import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../platform/errors.ts';
import { createHarness, type Harness } from '../../platform/testing/harness.ts';
import { MAX_LESSON_HTML, parseCourse, renderLesson } from './learning.course.ts';
import { fixtureCourse } from './learning.fixture.ts';
import { loadShippedCourses } from './learning.shipped.ts';

const problems = (text: string) => {
  try {
    parseCourse(text);
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.status, 422);
    return (e.details ?? []).map((d) => `${d.path}: ${d.message}`);
  }
  assert.fail('expected a 422');
};

describe('learning course document', () => {
  it('parses the fixture course', () => {
    const doc = parseCourse(fixtureCourse());
    assert.equal(doc.slug, 'fixture-course');
    assert.equal(doc.modules.length, 2);
    assert.equal(doc.modules[0]!.quiz!.draw, 3);
  });

  it('lists every problem with its path', () => {
    const bad = fixtureCourse()
      .replace('draw: 1', 'draw: 4') // bank of 1
      .replace('fr: "Déclarez les conflits."', 'de: "Konflikte"') // missing fr, unknown de
      .replace('id: m1-l2', 'id: m1-l1') // duplicate lesson id
      .replace('correct: false, feedback: { en: "No"', 'correct: true, feedback: { en: "No"'); // two correct
    // Schema problems come first (here: a matching question with 2 pairs).
    const p = problems(bad.replace(/^\s*- \{ id: p3.*\n/m, ''));
    assert.ok(
      p.some((x) => x.startsWith('modules.1.quiz.questions.0.pairs: matching needs 3–6')),
      p.join('\n'),
    );
    const p2 = problems(bad);
    for (const want of [
      'modules.1.quiz.draw: draws 4 questions from a bank of 1',
      'modules.1.lessons.0.body.fr: missing the fr text',
      'modules.1.lessons.0.body.de: de is not one of the course languages',
      'modules: lesson id m1-l1 is used twice',
      'modules.0.quiz.questions.0.options: a single-choice question has exactly one correct option',
    ])
      assert.ok(p2.includes(want), `${want}\n— got:\n${p2.join('\n')}`);
  });

  it('refuses raw HTML, bad YAML and a multiple-choice question without a correct option', () => {
    assert.ok(
      problems(fixtureCourse().replace('Declare within 5 days.', 'Declare <script>x</script>')).some((p) =>
        p.includes('raw HTML is not allowed'),
      ),
    );
    assert.deepEqual(problems('slug: [unclosed'), problems('slug: [unclosed'));
    assert.ok(problems('slug: [unclosed')[0]!.startsWith('(file)'));
    const none = fixtureCourse().replace(/correct: true \}/g, 'correct: false }');
    assert.ok(problems(none).some((p) => p.includes('at least one correct option')));
  });

  it('renders lessons through the allow-list: safe links, lazy sized images, no scripts', () => {
    const html = renderLesson(
      [
        '# T',
        '[ok](https://example.org) [rel](/learning/x) [bad](javascript:alert(1)) [http](http://x.org)',
        '![pic](https://cdn.example.org/a.png "320x200") ![local](/learning-assets/b.png) ![evil](http://x.org/c.png) ![other](/api/x.png)',
        '<script>alert(1)</script><img src=x onerror=alert(1)>',
        '| a | b |\n|---|---|\n| 1 | 2 |',
      ].join('\n\n'),
    );
    assert.match(html, /<a href="https:\/\/example.org" rel="noopener noreferrer">ok<\/a>/);
    assert.match(html, /<a href="\/learning\/x" rel="noopener noreferrer">rel<\/a>/);
    assert.doesNotMatch(html, /javascript|http:\/\/x\.org|<script|onerror|\/api\/x\.png/);
    assert.match(
      html,
      /<img src="https:\/\/cdn.example.org\/a.png" alt="pic" loading="lazy" decoding="async" width="320" height="200" \/>/,
    );
    assert.match(html, /<img src="\/learning-assets\/b.png" alt="local" loading="lazy" decoding="async" \/>/);
    assert.equal((html.match(/<img/g) ?? []).length, 2);
    assert.match(html, /<table>/);
  });

  it('keeps a long lesson page small, and refuses a lesson too long to stay under 200 kB', () => {
    const para = 'Officers must declare every gift, **whatever its value**, within five days. ';
    const big = Array.from(
      { length: 120 },
      (_, i) => `## Section ${i}\n\n${para.repeat(8)}\n\n| a | b |\n|---|---|\n| ${i} | x |`,
    ).join('\n\n');
    const html = renderLesson(big);
    assert.ok(Buffer.byteLength(html) < MAX_LESSON_HTML, `${Buffer.byteLength(html)} bytes`);
    const huge = `| a | b |\n|---|---|\n${'| 1 | 2 |\n'.repeat(8000)}`;
    const doc = fixtureCourse().replace('en: "Declare within 5 days."', `en: ${JSON.stringify(huge)}`);
    assert.ok(problems(doc).some((p) => p.includes('the lesson is too long')));
  });
});

describe('learning shipped courses', () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    h = await createHarness();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-courses-'));
  });
  after(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const versions = () =>
    h.kernel.db.query<{ number: number; status: string; tenant_id: string | null }>(
      `select v.number, v.status, v.tenant_id from course_versions v join courses c on c.id = v.course_id
       where c.slug = 'shipped-test' order by v.number`,
    );

  it('loads once by version and hash; a new version number adds a version', async () => {
    fs.writeFileSync(path.join(dir, 'shipped-test.yaml'), fixtureCourse('shipped-test', 1));
    assert.equal(await loadShippedCourses(h.kernel, dir), 1);
    assert.equal(await loadShippedCourses(h.kernel, dir), 0);
    // Changed text, same version: kept as loaded.
    fs.writeFileSync(path.join(dir, 'shipped-test.yaml'), fixtureCourse('shipped-test', 1, ' (edited)'));
    assert.equal(await loadShippedCourses(h.kernel, dir), 0);
    assert.deepEqual(await versions(), [{ number: 1, status: 'published', tenant_id: null }]);
    fs.writeFileSync(path.join(dir, 'shipped-test.yaml'), fixtureCourse('shipped-test', 2, ' (v2)'));
    assert.equal(await loadShippedCourses(h.kernel, dir), 1);
    assert.deepEqual(
      (await versions()).map((v) => v.number),
      [1, 2],
    );
    const [c] = await h.kernel.db.query<{ n: number; title: { en: string } }>(
      `select count(*)::int as n, max(title->>'en') as title from courses where slug = 'shipped-test'`,
    );
    assert.equal(c!.n, 1);
  });
});
