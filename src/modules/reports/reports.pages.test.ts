import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';

// The reporter's HTML pages (reports.pages.ts): a form post without JavaScript, through the
// same service as the JSON API.

const PASS = 'handler passphrase long enough';
const CANARY_IP = '198.51.100.231';
const CANARY_UA = 'PagesCanary/4.2 (reports-pages-ua-0d7e)';
const CANARY_REF = 'https://referrer-canary.example/pages-3b9c';
const CANARY_TEXT = 'pages-canary-61f0a2-chief-asked-envelope';
const HOSTILE = `"><script>alert('x')</script><img src=x onerror=alert(1)>`;

/** A multipart body as a browser sends a form: repeated names for checkboxes, an empty file input. */
function form(
  fields: [string, string][],
  emptyFile = false,
  files: { filename: string; data: Buffer }[] = [],
) {
  const boundary = `----pages${randomBytes(8).toString('hex')}`;
  let body = '';
  for (const [k, v] of fields)
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  if (emptyFile)
    body += `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`;
  const parts: Buffer[] = [Buffer.from(body, 'utf8')];
  for (const f of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The text of the element with this id (first match), tags removed. */
function textOf(html: string, id: string) {
  const m = html.match(new RegExp(`id="${id}"[^>]*>(.*?)</`, 's'));
  return m ? m[1]!.replace(/<[^>]+>/g, '') : undefined;
}

function assertStrictHeaders(res: LightMyRequestResponse, what: string) {
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/, what);
  assert.doesNotMatch(csp, /script-src/, `${what}: no script allowed at all`);
  assert.match(csp, /form-action 'self'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.match(csp, /base-uri 'none'/, what);
  assert.match(csp, /img-src 'self'/, what);
  assert.doesNotMatch(csp, /unsafe-inline/, what);
  // The one inline stylesheet is allowed by its hash, and only it.
  const style = res.body.match(/<style>(.*?)<\/style>/s)?.[1] ?? '';
  const hash = createHash('sha256').update(style).digest('base64');
  assert.match(csp, new RegExp(`style-src 'sha256-${hash.replace(/[+/=]/g, '\\$&')}'`), what);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(res.headers['cache-control'], 'no-store', what);
  assert.equal(res.headers['set-cookie'], undefined, what);
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/, what);
  assert.doesNotMatch(res.body, /<script/i, `${what}: no script element`);
  assert.doesNotMatch(res.body, /\b(src|href|action)="(https?:)?\/\//i, `${what}: no third-party resource`);
}

describe('reports: the reporter pages (no JavaScript)', () => {
  let h: Harness;
  const lines: string[] = [];
  let admin: Client;
  let handler: Client;
  let page: string;
  let unitId: string;
  let receipt: string;
  let reportId: string;
  const count = async () =>
    (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from reports'))[0]!.n;
  const post = (url: string, fields: [string, string][], headers: Record<string, string> = {}) => {
    const f = form(fields, true);
    return h.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, ...headers } });
  };

  before(async () => {
    h = await createHarness({ env: { TRUST_PROXY: 'true' }, logSink: (l) => lines.push(l) });
    admin = await h.as(h.a.users.org_admin.email);
    handler = await h.as(h.a.users.case_handler.email);
    assert.equal((await handler.post('/api/reports/keys', { passphrase: PASS })).statusCode, 201);
    const unit = await admin.post('/api/organisation/units', {
      parentId: null,
      type: 'headquarters',
      name: 'Port of Kingston — Long Wharf',
    });
    assert.equal(unit.statusCode, 201, unit.body);
    unitId = unit.json().id;
    const ch = await admin.post('/api/reports/channels', {
      slug: 'report',
      name: { en: 'Report corruption', fr: 'Signaler la corruption', ar: 'الإبلاغ عن الفساد' },
      intro: {
        en: 'You need not give your name.',
        fr: 'Vous n’avez pas à donner votre nom.',
        ar: 'لا داعي لذكر اسمك.',
      },
      recipients: [h.a.users.case_handler.id],
      languages: ['en', 'fr', 'ar'],
    });
    assert.equal(ch.statusCode, 201, ch.body);
    page = `/report/${h.a.id}/report`;
  });
  after(() => h.close());

  it('the form renders every field type, translated, in en, fr and ar (right to left)', async () => {
    const fr = await h.app.inject({ method: 'GET', url: `${page}?lang=fr` });
    assert.equal(fr.statusCode, 200, fr.body);
    assertStrictHeaders(fr, 'form');
    const b = fr.body;
    assert.match(b, /<html lang="fr" dir="ltr">/);
    assert.match(
      b,
      /<form method="post" action="\/report\/[0-9a-f-]+\/report" enctype="multipart\/form-data"/,
    );
    assert.match(b, /<h1>Signaler la corruption<\/h1>/);
    assert.ok(b.includes('Vous n’avez pas à donner votre nom.'));
    // Steps as fieldsets with a heading; the shipped questionnaire has three.
    assert.equal(b.match(/<fieldset>/g)?.length, 3);
    assert.match(b, /<legend>Étape 1 sur 3/);
    // Every field type of the shipped questionnaire.
    assert.match(b, /<textarea id="f-what" name="a\.what" maxlength="10000" rows="6" dir="auto" required/); // long text
    assert.match(
      b,
      /10\s000 caractères au plus\./,
      'the limit in the plural form, the number written in French',
    );
    assert.match(
      b,
      /<input type="text" id="f-involved" name="a\.involved" value="" maxlength="500" dir="auto"/,
    ); // short text
    assert.match(b, /<input type="radio" name="a\.procedure" id="f-procedure-0" value="clearance" required>/);
    assert.match(b, /<input type="checkbox" name="a\.involved_role" id="f-involved_role-0" value="officer">/);
    assert.match(b, /<input type="date" id="f-when" name="a\.when"/);
    assert.match(b, /<input type="number" id="f-amount" name="a\.amount"/);
    assert.match(b, /<select id="f-office" name="a\.office"><option value="">— Choisir —<\/option>/);
    assert.ok(b.includes(`<option value="${unitId}">Port of Kingston — Long Wharf</option>`));
    // Translated labels, required markers, advice and limits.
    assert.ok(b.includes('Que s’est-il passé ?<span class="req" title="obligatoire">*</span>'));
    assert.ok(b.includes('Dédouanement des marchandises'));
    assert.ok(b.includes('10\u202f000 caractères au plus.'), 'limits, with the language’s digit grouping');
    assert.ok(b.includes('Les champs marqués d’un * sont obligatoires.'));
    assert.ok(b.includes('Votre sécurité'));
    assert.match(b, /<button type="submit">Envoyer le signalement<\/button>/);
    // Language links for the channel's languages.
    assert.match(b, /href="\/report\/[0-9a-f-]+\/report\?lang=ar" lang="ar" hreflang="ar">العربية<\/a>/);

    const ar = await h.app.inject({ method: 'GET', url: `${page}?lang=ar` });
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /<html lang="ar" dir="rtl">/);
    assert.ok(ar.body.includes('ماذا حدث؟'));
    assert.ok(ar.body.includes('إرسال البلاغ'));
    assert.match(ar.body, /<legend>الخطوة 1 من 3/);

    // Accept-Language when no ?lang=; a language the channel does not offer falls back to its first.
    const en = await h.app.inject({
      method: 'GET',
      url: page,
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    assert.match(en.body, /<html lang="en" dir="ltr">/);
    assert.ok(en.body.includes('What happened?'));
    assert.ok(en.body.includes('Send the report'));
    const byHeader = await h.app.inject({
      method: 'GET',
      url: page,
      headers: { 'accept-language': 'ar, fr;q=0.5' },
    });
    assert.match(byHeader.body, /<html lang="ar" dir="rtl">/);
    const es = await h.app.inject({ method: 'GET', url: `${page}?lang=es` });
    assert.match(es.body, /<html lang="en" dir="ltr">/);

    // The SPA does not answer these addresses; an unknown channel is an HTML 404.
    const missing = await h.app.inject({ method: 'GET', url: `/report/${h.a.id}/nope?lang=fr` });
    assert.equal(missing.statusCode, 404);
    assertStrictHeaders(missing, 'not found');
    assert.ok(missing.body.includes('Ce canal de signalement n’existe pas ou est fermé.'));
    // Every page route is declared public (the route helper refuses a route without access).
    assert.deepEqual(
      h.app.registeredRoutes
        .filter((r) => r.url.startsWith('/report/'))
        .map((r) => `${r.method} ${r.url} ${r.access}`)
        .sort(),
      [
        'GET /report/:org/:channel public',
        'GET /report/:org/:channel/follow-up public',
        'POST /report/:org/:channel public',
        'POST /report/:org/:channel/follow-up public',
        'POST /report/:org/:channel/follow-up/files public',
        'POST /report/:org/:channel/follow-up/messages public',
      ],
    );
    // A form route takes multipart only: JSON is refused before anything is read (an HTML page).
    const json = await h.app.inject({ method: 'POST', url: page, payload: { lang: 'en' } });
    assert.equal(json.statusCode, 415);
    assertStrictHeaders(json, '415');
    const other = await h.app.inject({ method: 'GET', url: `/report/${h.b.id}/report` });
    assert.equal(other.statusCode, 404, "another organisation's address does not know the channel");
  });

  it('an invalid post answers 422 with the form again, answers kept, each error by its field, nothing stored', async () => {
    const before = await count();
    const res = await post(page, [
      ['lang', 'fr'],
      ['a.what', ''],
      ['a.procedure', 'bribery-desk'],
      ['a.involved', 'Le chef de visite'],
      ['a.involved_role', 'officer'],
      ['a.involved_role', 'supervisor'],
      ['a.amount', 'beaucoup'],
      ['a.when', '2999-01-01'],
      ['a.office', unitId],
    ]);
    assert.equal(res.statusCode, 422, res.body);
    assertStrictHeaders(res, '422');
    const b = res.body;
    assert.ok(b.includes('Rien n’a encore été envoyé.'));
    // Each error next to its field (inside the field's block, before its control).
    assert.equal(textOf(b, 'e-what'), 'Erreur : Ce champ est obligatoire.');
    assert.match(
      b,
      /<span class="error" id="e-what">[^<]*<\/span><textarea id="f-what"[^>]*aria-describedby="h-what e-what" aria-invalid="true"/,
    );
    assert.equal(textOf(b, 'e-procedure'), 'Erreur : Choisissez l’une des options proposées.');
    assert.equal(textOf(b, 'e-amount'), 'Erreur : Saisissez un montant de 0 ou plus, en chiffres.');
    assert.equal(textOf(b, 'e-when'), 'Erreur : Saisissez une date valide, qui ne soit pas dans le futur.');
    assert.equal(textOf(b, 'e-involved'), undefined, 'a valid field has no error');
    // The answers are kept.
    assert.ok(b.includes('value="Le chef de visite"'));
    assert.match(b, /value="officer" checked>/);
    assert.match(b, /value="supervisor" checked>/);
    assert.match(b, /value="broker">/);
    assert.ok(b.includes('value="beaucoup"'));
    assert.ok(b.includes(`<option value="${unitId}" selected>`));
    assert.equal(await count(), before, 'nothing stored');

    // Too long, and a field that is not in the questionnaire.
    const long = await post(page, [
      ['lang', 'en'],
      ['a.what', 'x'.repeat(10_001)],
      ['a.procedure', 'clearance'],
      ['a.hacker', 'y'],
    ]);
    assert.equal(long.statusCode, 422);
    assert.equal(textOf(long.body, 'e-what'), 'Error: The text is too long: at most 10,000 characters.');
    assert.ok(long.body.includes('The form does not match this questionnaire any more.'));
    // A field name outside the form's contract is a 400 page, not a stored report.
    const bad = await post(page, [
      ['lang', 'en'],
      ['answers', 'x'],
    ]);
    assert.equal(bad.statusCode, 400);
    assertStrictHeaders(bad, '400');
    assert.equal(await count(), before);
  });

  it('a form post creates a report; the receipt is shown once; the handler decrypts the right answers', async () => {
    const res = await post(
      page,
      [
        ['lang', 'fr'],
        [
          'a.what',
          `Le chef de visite a demandé 200 000 pour libérer le conteneur.\r\nDeux fois. ${CANARY_TEXT}`,
        ],
        ['a.procedure', 'examination'],
        ['a.office', unitId],
        ['a.when', '2026-10-15'],
        ['a.involved_role', 'officer'],
        ['a.involved_role', 'supervisor'],
        ['a.involved', CANARY_TEXT],
        ['a.money', 'asked'],
        ['a.amount', '200000'],
        ['a.evidence', ''],
        ['a.reporter', 'trade'],
      ],
      {
        'x-forwarded-for': CANARY_IP,
        'user-agent': CANARY_UA,
        referer: CANARY_REF,
        'accept-language': 'fr',
      },
    );
    assert.equal(res.statusCode, 201, res.body);
    assertStrictHeaders(res, 'receipt');
    const m = res.body.match(/<p class="receipt" lang="en">((\d{4} ){4}\d{4})<\/p>/);
    assert.ok(m, res.body);
    receipt = m[1]!;
    assert.ok(res.body.includes('Il n’est affiché qu’une seule fois.'));
    assert.ok(res.body.includes('Il ne peut être ni retrouvé ni renvoyé'));
    assert.match(
      res.body,
      /href="\/report\/[0-9a-f-]+\/report\/follow-up\?lang=fr">Suivre un signalement<\/a>/,
    );

    const list = (await handler.get('/api/reports')).json().items;
    assert.equal(list.length, 1);
    reportId = list[0].id;
    const open = await handler.post(`/api/reports/${reportId}/open`);
    assert.equal(open.statusCode, 200, open.body);
    const d = open.json();
    assert.equal(d.language, 'fr');
    const answer = (id: string) => d.answers.find((a: { id: string }) => a.id === id)?.value;
    assert.equal(
      answer('what'),
      `Le chef de visite a demandé 200 000 pour libérer le conteneur.\nDeux fois. ${CANARY_TEXT}`,
    );
    assert.equal(answer('procedure'), 'Physical examination / inspection'); // in the handler's language
    assert.equal(answer('office'), unitId);
    assert.equal(answer('when'), '2026-10-15');
    assert.equal(answer('involved_role'), 'Customs officer, Supervisor or manager');
    assert.equal(answer('amount'), 200000);
    assert.equal(answer('money'), 'Asked, not paid');
    assert.equal(answer('evidence'), undefined, 'a blank field is not an answer');
    assert.deepEqual(list[0].statistical, {
      procedure: 'examination',
      office: unitId,
      involved_role: ['officer', 'supervisor'],
      money: 'asked',
      reporter: 'trade',
    });
  });

  it('canary: the form post leaves no IP, user agent, referrer or text in the database, files or logs', async () => {
    const tables = await h.kernel.db.query<{ t: string }>(
      "select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    let dump = '';
    for (const { t } of tables) {
      const rows = await h.kernel.db.query<{ r: string }>(`select x::text as r from "${t}" x`);
      dump += `${t}\n${rows.map((r) => r.r).join('\n')}\n`;
    }
    const hex = (s: string) => Buffer.from(s).toString('hex');
    const digits = receipt.replaceAll(' ', '');
    for (const needle of [
      CANARY_IP,
      CANARY_UA,
      CANARY_REF,
      CANARY_TEXT,
      digits,
      'PagesCanary',
      'referrer-canary',
    ]) {
      assert.equal(dump.includes(needle), false, `database holds ${needle}`);
      assert.equal(dump.includes(hex(needle)), false, `database holds ${needle} as hex`);
    }
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }))
        e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name));
    };
    walk(h.config.dataDir);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const needle of [CANARY_IP, CANARY_UA, CANARY_TEXT, 'referrer-canary'])
        assert.equal(bytes.includes(needle), false, `${f} holds ${needle}`);
    }
    // Not even a request line for the pages (it would date the submission).
    const log = lines.join('\n');
    for (const needle of [
      CANARY_IP,
      CANARY_UA,
      CANARY_REF,
      CANARY_TEXT,
      digits,
      `/report/${h.a.id}`,
      '/report/:org',
    ])
      assert.equal(log.includes(needle), false, `log holds ${needle}`);
    await h.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-for': CANARY_IP } });
    assert.ok(lines.join('\n').includes(CANARY_IP), 'the log check can fail');
  });

  it("follow-up: the receipt opens the thread with the handler's question; the reply reaches the handler", async () => {
    const [r] = await h.kernel.db.query<{ version: number }>('select version from reports where id = $1', [
      reportId,
    ]);
    assert.equal(
      (await handler.post(`/api/reports/${reportId}/acknowledge`, { version: r!.version })).statusCode,
      204,
    );
    const ask = await handler.post(`/api/reports/${reportId}/messages`, {
      body: 'Quel jour exactement ? <b>merci</b>',
    });
    assert.equal(ask.statusCode, 204, ask.body);

    const get = await h.app.inject({ method: 'GET', url: `${page}/follow-up?lang=fr` });
    assert.equal(get.statusCode, 200);
    assertStrictHeaders(get, 'receipt form');
    assert.match(get.body, /<input type="text" id="receipt" name="receipt" inputmode="numeric"/);
    assert.ok(get.body.includes('Votre reçu (20 chiffres)'));

    const view = await post(`${page}/follow-up`, [
      ['lang', 'fr'],
      ['receipt', receipt.replaceAll(' ', '-')],
    ]);
    assert.equal(view.statusCode, 200, view.body);
    assertStrictHeaders(view, 'thread');
    const b = view.body;
    assert.ok(b.includes('Pris en compte'), 'the status');
    assert.ok(
      b.includes('Quel jour exactement ? &lt;b&gt;merci&lt;/b&gt;'),
      "the handler's question, escaped",
    );
    assert.ok(b.includes('L’équipe qui traite votre signalement'));
    assert.match(b, /<time datetime="\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z">/, 'dates to the hour');
    assert.ok(b.includes('Visite physique / contrôle'), 'the answers, translated');
    assert.ok(b.includes(CANARY_TEXT));
    // The receipt travels in a hidden field of the reply form (no cookie).
    assert.ok(b.includes(`<input type="hidden" name="receipt" value="${receipt.replaceAll(' ', '-')}">`));
    assert.match(
      b,
      /<form method="post" action="\/report\/[0-9a-f-]+\/report\/follow-up\/messages" enctype="multipart\/form-data"/,
    );

    const reply = await post(`${page}/follow-up/messages`, [
      ['lang', 'fr'],
      ['receipt', receipt],
      ['body', 'Le 15 octobre, vers 10 h.\r\nAu poste de Long Wharf.'],
    ]);
    assert.equal(reply.statusCode, 200, reply.body);
    assertStrictHeaders(reply, 'reply');
    assert.ok(reply.body.includes('Votre message a été envoyé.'));
    assert.ok(reply.body.includes('Le 15 octobre, vers 10 h.'));
    const d = (await handler.post(`/api/reports/${reportId}/open`)).json();
    assert.deepEqual(
      d.messages.map((m: { direction: string; body: string }) => [m.direction, m.body]),
      [
        ['handler', 'Quel jour exactement ? <b>merci</b>'],
        ['reporter', 'Le 15 octobre, vers 10 h.\nAu poste de Long Wharf.'],
      ],
    );
  });

  it('a wrong receipt fails on the page and is slowed down, like the API', async () => {
    const wrong = `${receipt.replaceAll(' ', '').slice(0, -1)}${(Number(receipt.at(-1)) + 1) % 10}`;
    const t0 = performance.now();
    const res = await post(`${page}/follow-up`, [
      ['lang', 'en'],
      ['receipt', wrong],
    ]);
    const first = performance.now() - t0;
    assert.equal(res.statusCode, 404, res.body);
    assertStrictHeaders(res, 'wrong receipt');
    assert.ok(res.body.includes('No report has this receipt.'));
    assert.ok(!res.body.includes(CANARY_TEXT));
    assert.ok(first >= 450, `first failure took ${first} ms`);
    // A reply with a wrong receipt stores nothing and is slowed more (the failures add up).
    const t1 = performance.now();
    const reply = await post(`${page}/follow-up/messages`, [
      ['lang', 'en'],
      ['receipt', 'not a receipt'],
      ['body', 'hello'],
    ]);
    const second = performance.now() - t1;
    assert.equal(reply.statusCode, 404);
    assert.ok(second >= 900, `second failure took ${second} ms`);
    const [n] = await h.kernel.db.query<{ n: number }>('select count(*)::int as n from report_messages');
    assert.equal(n!.n, 2);
  });

  it('an attachment field is a file input with its limits; files sent with the form are attached for the handler', async () => {
    const ch = await admin.post('/api/reports/channels', {
      slug: 'with-files',
      name: { en: 'Report with evidence', fr: 'Signaler avec des preuves' },
      recipients: [h.a.users.case_handler.id],
      languages: ['en', 'fr'],
      questionnaire: [
        {
          id: 'what',
          type: 'long_text',
          required: true,
          label: { en: 'What happened?', fr: 'Que s’est-il passé ?' },
        },
        { id: 'proof', type: 'attachment', label: { en: 'Evidence files', fr: 'Fichiers de preuve' } },
      ],
    });
    assert.equal(ch.statusCode, 201, ch.body);
    const url = `/report/${h.a.id}/with-files`;
    const res = await h.app.inject({ method: 'GET', url: `${url}?lang=fr` });
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      /<input type="file" id="f-proof" name="files" multiple accept="[^"]*\.png,\.pdf,[^"]*"/,
    );
    assert.ok(res.body.includes('Jusqu’à 10 fichiers, de 10 Mo au plus chacun.'), 'the limits are stated');

    const notes = Buffer.from(`Notes taken that day. ${CANARY_TEXT}-file\n`);
    const f = form(
      [
        ['lang', 'en'],
        ['a.what', 'The officer took cash; notes attached.'],
      ],
      false,
      [{ filename: '../../etc/notes <day 1>.txt', data: notes }],
    );
    const sent = await h.app.inject({ method: 'POST', url, payload: f.payload, headers: f.headers });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.ok(sent.body.includes('Attached files:'));
    assert.ok(sent.body.includes('<bdi>notes day 1.txt</bdi>'), 'the name without its path, cleaned');
    assert.ok(sent.body.includes('sent as it is'));
    const fileReceipt = sent.body.match(/<p class="receipt" lang="en">([\d ]+)<\/p>/)![1]!;
    // The reporter finds the file on the follow-up page, downloads it, and adds another.
    const thread = await post(`${url}/follow-up`, [
      ['lang', 'en'],
      ['receipt', fileReceipt],
    ]);
    assert.equal(thread.statusCode, 200, thread.body);
    assert.ok(thread.body.includes('<bdi>notes day 1.txt</bdi>'));
    const fileId = thread.body.match(/name="fileId" value="([0-9a-f-]{36})"/)![1]!;
    const got = await post(`${url}/follow-up/files`, [
      ['lang', 'en'],
      ['receipt', fileReceipt],
      ['fileId', fileId],
    ]);
    assert.equal(got.statusCode, 200, got.body);
    assert.match(String(got.headers['content-disposition']), /^attachment;/);
    assert.equal(got.headers['cache-control'], 'no-store');
    assert.equal(got.rawPayload.toString(), notes.toString());
    const more = form(
      [
        ['lang', 'en'],
        ['receipt', fileReceipt],
        ['body', ''],
      ],
      false,
      [{ filename: 'second.txt', data: Buffer.from('More notes.\n') }],
    );
    const added = await h.app.inject({
      method: 'POST',
      url: `${url}/follow-up/messages`,
      payload: more.payload,
      headers: more.headers,
    });
    assert.equal(added.statusCode, 200, added.body);
    assert.ok(added.body.includes('Your message has been sent.'));
    assert.ok(added.body.includes('<bdi>second.txt</bdi>'));
    const items = (await handler.get('/api/reports')).json().items as { id: string; channel: string }[];
    const mine = items.find((x) => x.channel === 'Report with evidence')!;
    const list = await handler.post(`/api/reports/${mine.id}/files/list`);
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(list.json().items.length, 2);
    assert.equal(list.json().items[0].direction, 'reporter');
    // A file of a type the channel does not take: the form again (415) with the answers and the
    // file named, nothing stored.
    const before = await count();
    const exe = form(
      [
        ['lang', 'en'],
        ['a.what', 'Kept answer: the inspector at gate 4.'],
      ],
      false,
      [{ filename: 'tool.exe', data: Buffer.from('MZ\x90\x00binary') }],
    );
    const refused = await h.app.inject({ method: 'POST', url, payload: exe.payload, headers: exe.headers });
    assert.equal(refused.statusCode, 415, refused.body);
    assertStrictHeaders(refused, '415 file');
    assert.ok(refused.body.includes('“tool.exe” is not a type of file accepted here'), refused.body);
    assert.ok(refused.body.includes('Kept answer: the inspector at gate 4.'), 'the answer is kept');
    assert.ok(refused.body.includes('choose your files again'));
    assert.equal(await count(), before);

    // A file over the limit, in French, next to a good one: 413, the form again with the answers,
    // the large file named with the limit; nothing stored, not even the good file.
    const big = form(
      [
        ['lang', 'fr'],
        ['a.what', 'Réponse gardée : le chef de poste a demandé une enveloppe.'],
      ],
      false,
      [
        { filename: 'ok.txt', data: Buffer.from('fine\n') },
        { filename: 'scan énorme.pdf', data: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) },
      ],
    );
    const large = await h.app.inject({ method: 'POST', url, payload: big.payload, headers: big.headers });
    assert.equal(large.statusCode, 413, large.body.slice(0, 500));
    assertStrictHeaders(large, '413 file');
    assert.ok(large.body.includes('« scan énorme.pdf » dépasse 10 Mo'), large.body.slice(0, 3000));
    assert.ok(large.body.includes('Réponse gardée : le chef de poste a demandé une enveloppe.'));
    assert.match(large.body, /<form method="post" action="\/report\/[0-9a-f-]+\/with-files"/);
    assert.equal(await count(), before);

    // A reply with a file over the limit: 413, the thread with the reply still in its box and the
    // file named; no message and no file added.
    const messages = async () =>
      (
        await h.kernel.db.query<{ n: number }>(
          'select count(*)::int as n from report_messages where report_id = $1',
          [mine.id],
        )
      )[0]!.n;
    const messagesBefore = await messages();
    const reply = form(
      [
        ['lang', 'en'],
        ['receipt', fileReceipt],
        ['body', 'Draft kept: the second envelope was on Friday.'],
      ],
      false,
      [{ filename: 'photo.png', data: Buffer.alloc(10 * 1024 * 1024 + 1, 0x42) }],
    );
    const tooBig = await h.app.inject({
      method: 'POST',
      url: `${url}/follow-up/messages`,
      payload: reply.payload,
      headers: reply.headers,
    });
    assert.equal(tooBig.statusCode, 413, tooBig.body.slice(0, 500));
    assertStrictHeaders(tooBig, '413 reply');
    assert.ok(tooBig.body.includes('“photo.png” is larger than 10 MB'));
    assert.match(
      tooBig.body,
      /<textarea id="body"[^>]*>Draft kept: the second envelope was on Friday\.<\/textarea>/,
    );
    assert.doesNotMatch(tooBig.body, /Your message has been sent/);
    const after = await handler.post(`/api/reports/${mine.id}/files/list`);
    assert.equal(after.json().items.length, 2, 'no file added');
    assert.equal(await messages(), messagesBefore, 'no message added');
  });

  it('escapes everything: hostile labels from a channel administrator and hostile answers', async () => {
    const ch = await admin.post('/api/reports/channels', {
      slug: 'hostile',
      name: { en: `Name ${HOSTILE}` },
      intro: { en: `Intro ${HOSTILE}` },
      recipients: [h.a.users.case_handler.id],
      languages: ['en'],
      questionnaire: [
        {
          id: 'what',
          type: 'short_text',
          required: true,
          label: { en: `Label ${HOSTILE}` },
          help: { en: `Help ${HOSTILE}` },
        },
        {
          id: 'pick',
          type: 'single',
          label: { en: 'Pick' },
          options: [
            { id: 'a', label: { en: `Option ${HOSTILE}` } },
            { id: 'b', label: { en: 'B' } },
          ],
        },
      ],
    });
    assert.equal(ch.statusCode, 201, ch.body);
    const hostile = `/report/${h.a.id}/hostile`;
    const safe = (body: string, what: string) => {
      assert.doesNotMatch(body, /<script/i, what);
      assert.doesNotMatch(body, /<img/i, what);
      assert.ok(!body.includes(HOSTILE), `${what}: the hostile text is not escaped`);
      assert.doesNotMatch(body, /onerror=/i, what);
    };
    const res = await h.app.inject({ method: 'GET', url: hostile });
    assert.equal(res.statusCode, 200, res.body);
    assertStrictHeaders(res, 'hostile form');
    safe(res.body, 'form');
    assert.ok(
      res.body.includes(
        'Label &quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src&#61;x onerror&#61;alert(1)&gt;',
      ),
    );
    assert.ok(res.body.includes('Option &quot;&gt;&lt;script&gt;'));
    // A hostile answer re-rendered in a value attribute (the required field left empty → 422).
    const again = await post(hostile, [
      ['lang', 'en'],
      ['a.what', ''],
      ['a.pick', HOSTILE],
    ]);
    assert.equal(again.statusCode, 422);
    safe(again.body, '422');
    const kept = await post(hostile, [
      ['lang', 'en'],
      ['a.what', HOSTILE.repeat(2).slice(0, 400)],
      ['a.pick', 'zzz'],
    ]);
    assert.equal(kept.statusCode, 422);
    safe(kept.body, '422 with the answer kept');
    assert.ok(kept.body.includes('value="&quot;&gt;&lt;script&gt;'));
    // A hostile answer in the thread.
    const sent = await post(hostile, [
      ['lang', 'en'],
      ['a.what', HOSTILE],
    ]);
    assert.equal(sent.statusCode, 201, sent.body);
    safe(sent.body, 'receipt');
    const r2 = sent.body.match(/<p class="receipt" lang="en">([\d ]+)<\/p>/)![1]!;
    const thread = await post(`${hostile}/follow-up`, [
      ['lang', 'en'],
      ['receipt', r2],
    ]);
    assert.equal(thread.statusCode, 200, thread.body);
    safe(thread.body, 'thread');
    assert.ok(thread.body.includes('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;'));
  });
});
