import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppError } from '../../platform/errors.ts';
import { RTL, isLocale, negotiate, t, type Locale } from '../../platform/i18n/i18n.ts';
import { download } from '../../platform/http/download.ts';
import { html, type RouteContext, type Router } from '../../platform/http/route.ts';
import { FILE_TYPE_INFO, type FileType, type RejectedFile } from '../../platform/http/upload.ts';
import * as C from './reports.contract.ts';
import { h, Safe } from './reports.html.ts';
import { ATTACHMENT_TYPES } from './reports.metadata.ts';
import type { ReportsService } from './reports.service.ts';
import { CHANNEL_LANGUAGES, type ChannelLanguage } from './reports.vocab.ts';

// The reporter's pages: server-rendered HTML that works without JavaScript (form posts), for a
// reporter on a locked-down browser. Same service as the JSON API (reports.routes.ts): the same
// questionnaire validation, receipts, rate limits and slowed wrong receipts. Public and
// anonymous (no request log line, no cookie); no script at all, one inline stylesheet allowed by
// its hash; the receipt travels in POST bodies only (a hidden field on the thread page).

export const PAGE = '/report/:org/:channel';

const CSS = `
*{box-sizing:border-box}
html{background:#f3f5f7;color:#1b2733;font:17px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif}
body{margin:0;padding:0 1rem 3rem}
main{max-width:44rem;margin:0 auto}
header{max-width:44rem;margin:0 auto;padding:1.25rem 0 .5rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between}
.org{font-weight:600;color:#3d4f60}
nav.langs a{margin-inline-start:.6rem;color:#1f5fa8}
nav.langs a[aria-current]{font-weight:700;color:#1b2733;text-decoration:none}
h1{font-size:1.7rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:0 0 .75rem}
.card{background:#fff;border:1px solid #d5dce3;border-radius:10px;padding:1.25rem 1.5rem;margin:0 0 1.25rem}
.intro{font-size:1.02rem}
.note{background:#eef4fb;border-color:#c4d7ee}
.note h2{font-size:1rem;margin-bottom:.25rem}
.escrow{background:#fff4e0;border-color:#e0b060}
.escrow h2{font-size:1rem;margin-bottom:.25rem}
fieldset{border:1px solid #d5dce3;border-radius:10px;background:#fff;padding:1rem 1.5rem 1.25rem;margin:0 0 1.25rem}
legend{padding:0 .4rem;font-weight:700;font-size:1.1rem}
.field{margin:1.1rem 0}
.field>label,.field>.label{display:block;font-weight:600;margin-bottom:.3rem}
.help{display:block;color:#4a5a69;font-size:.92rem;margin:.1rem 0 .4rem}
.req{color:#b3261e;margin-inline-start:.2rem}
input[type=text],input[type=date],input[type=number],select,textarea{width:100%;font:inherit;padding:.55rem .65rem;border:1px solid #8a99a8;border-radius:6px;background:#fff;color:inherit}
textarea{min-height:8rem;resize:vertical}
input[type=date],input[type=number]{max-width:16rem}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #f2b705;outline-offset:1px}
.choices label{display:flex;gap:.55rem;align-items:flex-start;font-weight:400;margin:.3rem 0}
.choices input{margin-top:.35rem;width:1.05rem;height:1.05rem}
.invalid input[type=text],.invalid input[type=date],.invalid input[type=number],.invalid select,.invalid textarea{border:2px solid #b3261e}
.error{display:block;color:#b3261e;font-weight:600;margin:.2rem 0 .35rem}
.alert{background:#fdecea;border-color:#e6a19b;color:#6d1610}
.ok{background:#e8f5ec;border-color:#9fd1ae}
button{font:inherit;font-weight:700;background:#1f5fa8;color:#fff;border:0;border-radius:8px;padding:.75rem 1.6rem;cursor:pointer}
button:hover{background:#174b86}
.receipt{font:700 1.7rem/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;letter-spacing:.06em;direction:ltr;unicode-bidi:isolate;text-align:center;background:#fffbea;border:2px dashed #c99a06;border-radius:8px;padding:1rem;margin:1rem 0;word-break:break-word}
dl.answers dt{font-weight:600;margin-top:.75rem}
dl.answers dd{margin:0;white-space:pre-wrap}
.msg{border-inline-start:4px solid #8a99a8;padding:.35rem .9rem;margin:.9rem 0}
.msg.handler{border-color:#1f5fa8}
.msg .who{font-weight:600;font-size:.92rem;color:#3d4f60}
.msg p{margin:.2rem 0 0;white-space:pre-wrap}
.small{font-size:.9rem;color:#4a5a69}
ul.files{padding:0;list-style:none}
ul.files li{margin:.5rem 0}
button.link{background:none;color:#1f5fa8;padding:0 .3rem;font-weight:600;text-decoration:underline}
footer{max-width:44rem;margin:1rem auto 0;font-size:.9rem;color:#4a5a69}
`.trim();

const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Endonyms: a language is offered under its own name. */
const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  pt: 'Português',
  ar: 'العربية',
  ru: 'Русский',
};

/** Attachment limits shown on the form (the service's, reports.files.ts). */
interface Attach {
  maxFiles: number;
  maxBytes: number;
  /** All the files of one report together. */
  maxTotalBytes: number;
  types: readonly FileType[];
}
const extensions = (types: readonly FileType[]) =>
  [...new Set(types.flatMap((t) => FILE_TYPE_INFO[t].extensions))].map((e) => `.${e}`);

function strictHeaders(reply: FastifyReply) {
  reply.header('content-security-policy', CSP);
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
  reply.header('x-robots-tag', 'noindex, noarchive');
  reply.header('x-content-type-options', 'nosniff');
}

// ---- contracts ----------------------------------------------------------------------------------

const PageQuery = z.object({ lang: z.string().max(10).optional() }).strict();
const FormValue = z.union([z.string().max(20_000), z.array(z.string().max(20_000)).max(30)]);
/**
 * The questionnaire form: `lang`, `escrow` (the escrow state the form showed: `on` or `off`) and
 * one `a.<field id>` per answer (checkboxes repeat it).
 */
const ReportForm = z
  .record(
    z.string().regex(/^(lang|escrow|a\.[a-z0-9][a-z0-9_]{0,62})$/, 'not a field of this form'),
    FormValue,
  )
  .refine((f) => typeof f.lang === 'string', { message: 'lang is required', path: ['lang'] });
const ReceiptForm = z.object({ lang: z.string().max(10), receipt: z.string().max(100) }).strict();
const MessageForm = z
  .object({ lang: z.string().max(10), receipt: z.string().max(100), body: z.string().max(20_000) })
  .strict();
const FileForm = z
  .object({ lang: z.string().max(10), receipt: z.string().max(100), fileId: z.uuid() })
  .strict();

type Values = Record<string, string | string[]>;
type Channel = Awaited<ReturnType<ReportsService['publicChannel']>>;
type Field = Channel['fields'][number];
type Thread = Awaited<ReturnType<ReportsService['reporterThread']>>;
type View = Thread['view'];
type FileItem = Thread['files'][number];

// ---- page frame ---------------------------------------------------------------------------------

/**
 * Key escrow on in this administration: said plainly before the reporter writes, and again on
 * the follow-up pages (docs/adr/0023-reporting-encryption.md, "Escrow"). Nothing when off.
 */
function escrowNotice(lang: Locale, on: boolean, key = 'escrow_notice'): Safe | '' {
  return on
    ? h`<div class="card escrow" data-escrow="on" role="note"><h2>${t(lang, 'reports.page.escrow_title')}</h2><p>${t(lang, `reports.page.${key}`)}</p></div>`
    : '';
}

interface Frame {
  lang: Locale;
  title: string;
  organisation?: string;
  /** Language links: the channel's languages, each a link to this page in that language. */
  languages?: readonly string[];
  path?: string;
}

function layout(f: Frame, body: Safe): string {
  const dir = RTL.has(f.lang) ? 'rtl' : 'ltr';
  const links =
    f.languages && f.languages.length > 1 && f.path
      ? h`<nav class="langs" aria-label="${t(f.lang, 'reports.page.language')}">${f.languages.map(
          (l) =>
            h`<a href="${f.path}?lang=${l}" lang="${l}" hreflang="${l}"${l === f.lang ? h` aria-current="page"` : ''}>${LANGUAGE_NAMES[l] ?? l}</a>`,
        )}</nav>`
      : '';
  return `<!doctype html>\n${h`<html lang="${f.lang}" dir="${dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, noarchive">
<title>${f.title}</title><style>${new Safe(CSS)}</style></head>
<body><header><span class="org">${f.organisation ?? ''}</span>${links}</header>
<main>${body}</main>
<footer>${t(f.lang, 'reports.page.leave')}</footer></body></html>`}`;
}

const pageLang = (l: string | undefined): Locale => (isLocale(l) ? l : 'en');
/** Numbers and dates with Latin digits in every language (as the receipt is written). */
const intl = (lang: Locale) => `${lang}-u-nu-latn`;
const num = (lang: Locale, n: number) => new Intl.NumberFormat(intl(lang)).format(n);
const requestLang = (ctx: { query: unknown; req: RouteContext<unknown, unknown, unknown>['req'] }) => {
  const q = (ctx.query as { lang?: string } | undefined)?.lang;
  return negotiate(q, ctx.req.headers['accept-language']);
};
/** The `?lang=` asked for, when it is one the platform knows. */
const asked = (q: { lang?: string }) => (isLocale(q.lang) ? q.lang : undefined);

// ---- the questionnaire form ---------------------------------------------------------------------

function fieldError(lang: Locale, f: Field, message: string): string {
  const tr = (k: string, v: Record<string, string | number> = {}) => t(lang, `reports.page.errors.${k}`, v);
  if (message === 'required' || message === 'attach a file') return tr('required');
  switch (f.type) {
    case 'short_text':
    case 'long_text':
      return tr('text', { count: f.maxLength, max: num(lang, f.maxLength) });
    case 'single':
    case 'multiple':
    case 'date':
    case 'office':
    case 'amount':
      return tr(f.type);
    case 'attachment':
      return tr('attachment');
  }
}

function renderField(
  lang: Locale,
  f: Field,
  offices: Channel['offices'],
  values: Values,
  error: string | undefined,
  attach: Attach,
) {
  const name = `a.${f.id}`;
  const id = `f-${f.id}`;
  const raw = values[name];
  const value = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '');
  const chosen = new Set(raw === undefined ? [] : [raw].flat());
  const helpId = `h-${f.id}`;
  const errId = `e-${f.id}`;
  const tr = (k: string, v: Record<string, string | number> = {}) => t(lang, `reports.page.${k}`, v);
  const helps: string[] = [];
  if (f.help) helps.push(f.help);
  if (f.type === 'short_text' || f.type === 'long_text')
    helps.push(tr('max_chars', { count: f.maxLength, max: num(lang, f.maxLength) }));
  if (f.type === 'amount') helps.push(tr('amount_help'));
  if (f.type === 'date') helps.push(tr('date_help'));
  if (f.type === 'attachment')
    helps.push(
      tr('attachments_help', {
        count: attach.maxFiles,
        size: Math.floor(attach.maxBytes / 1_048_576),
        types: extensions(attach.types).join(', '),
      }),
    );
  const described = [helps.length ? helpId : '', error ? errId : ''].filter(Boolean).join(' ');
  const aria = h`${described ? h` aria-describedby="${described}"` : ''}${error ? h` aria-invalid="true"` : ''}`;
  const req = f.required ? h` required` : '';
  const mark = f.required ? h`<span class="req" title="${tr('required_mark')}">*</span>` : '';
  const helpEl = helps.length ? h`<span class="help" id="${helpId}">${helps.join(' ')}</span>` : '';
  const errEl = error ? h`<span class="error" id="${errId}">${tr('error_label')} ${error}</span>` : '';
  const cls = error ? 'field invalid' : 'field';
  const choice = f.type === 'single' || f.type === 'multiple';
  if (choice) {
    const type = f.type === 'single' ? 'radio' : 'checkbox';
    return h`<div class="${cls}" role="group" aria-labelledby="l-${f.id}"${aria}>
<span class="label" id="l-${f.id}">${f.label}${mark}</span>${helpEl}${errEl}<div class="choices">${(
      f.options ?? []
    ).map(
      (o, i) =>
        h`<label><input type="${type}" name="${name}" id="${id}-${i}" value="${o.id}"${chosen.has(o.id) ? h` checked` : ''}${type === 'radio' ? req : ''}> <span>${o.label}</span></label>`,
    )}</div></div>`;
  }
  let control: Safe;
  switch (f.type) {
    case 'long_text':
      control = h`<textarea id="${id}" name="${name}" maxlength="${f.maxLength}" rows="6" dir="auto"${req}${aria}>${value}</textarea>`;
      break;
    case 'date':
      control = h`<input type="date" id="${id}" name="${name}" value="${value}"${req}${aria}>`;
      break;
    case 'amount':
      control = h`<input type="number" id="${id}" name="${name}" value="${value}" min="0" step="any" inputmode="decimal"${req}${aria}>`;
      break;
    case 'office':
      control = h`<select id="${id}" name="${name}"${req}${aria}><option value="">${tr('choose')}</option>${offices.map(
        (o) => h`<option value="${o.id}"${o.id === value ? h` selected` : ''}>${o.name}</option>`,
      )}</select>`;
      break;
    case 'attachment':
      // Files cannot be re-filled after an error (browsers forbid it): the reporter picks them again.
      control = h`<input type="file" id="${id}" name="files" multiple accept="${extensions(attach.types).join(',')}"${aria}>`;
      break;
    default:
      control = h`<input type="text" id="${id}" name="${name}" value="${value}" maxlength="${f.maxLength}" dir="auto"${req}${aria}>`;
  }
  return h`<div class="${cls}"><label for="${id}">${f.label}${mark}</label>${helpEl}${errEl}${control}</div>`;
}

function formPage(
  pc: Channel,
  path: string,
  attach: Attach,
  values: Values = {},
  errors: Map<string, string> = new Map(),
  general: string[] = [],
): string {
  const lang = pageLang(pc.language);
  const tr = (k: string, v: Record<string, string | number> = {}) => t(lang, `reports.page.${k}`, v);
  const titles = (pc as { steps?: string[] }).steps ?? [];
  const steps = [...new Set(pc.fields.map((f) => f.step))].sort((a, b) => a - b);
  const summary =
    errors.size || general.length
      ? h`<div class="card alert" role="alert"><strong>${tr('errors_title')}</strong>${
          general.length ? h`<ul>${general.map((g) => h`<li>${g}</li>`)}</ul>` : ''
        }${
          errors.size
            ? h`<ul>${pc.fields
                .filter((f) => errors.has(f.id))
                .map(
                  (f) =>
                    h`<li><a href="#f-${f.id}${f.type === 'single' || f.type === 'multiple' ? '-0' : ''}">${f.label}</a> — ${errors.get(f.id)}</li>`,
                )}</ul>`
            : ''
        }</div>`
      : '';
  const body = h`<h1>${pc.name}</h1>
${pc.intro ? h`<div class="card intro"><p>${pc.intro}</p></div>` : ''}
<div class="card note"><h2>${tr('safety_title')}</h2><p>${tr('safety')}</p></div>
${escrowNotice(lang, pc.escrow)}
${summary}
<form method="post" action="${path}" enctype="multipart/form-data" autocomplete="off" novalidate>
<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="escrow" value="${pc.escrow ? 'on' : 'off'}">
<p class="small">${tr('required_note')}</p>
${steps.map(
  (s, i) =>
    h`<fieldset><legend>${tr('step', { n: i + 1, total: steps.length })}${
      titles[s - 1] ? h` — ${titles[s - 1]}` : ''
    }</legend>${pc.fields
      .filter((f) => f.step === s)
      .map((f) => renderField(lang, f, pc.offices, values, errors.get(f.id), attach))}</fieldset>`,
)}
<p><button type="submit">${tr('submit')}</button></p>
</form>
<p class="small"><a href="${path}/follow-up?lang=${lang}">${tr('follow_up_link')}</a></p>`;
  return layout({ lang, title: pc.name, organisation: pc.organisation, languages: pc.languages, path }, body);
}

/** Form fields → the API's answers: checkboxes as lists, amounts as numbers, blanks left out. */
function answersOf(pc: Channel, values: Values): Record<string, string | string[] | number> {
  const answers: Record<string, string | string[] | number> = {};
  for (const [key, raw] of Object.entries(values)) {
    if (!key.startsWith('a.')) continue;
    const id = key.slice(2);
    const f = pc.fields.find((x) => x.id === id);
    const list = [raw].flat().map((v) => v.replace(/\r\n?/g, '\n'));
    if (f?.type === 'multiple') {
      const picked = list.filter((v) => v !== '');
      if (picked.length) answers[id] = picked;
      continue;
    }
    if (list.length !== 1) {
      answers[id] = list; // a field sent twice: the service refuses it
      continue;
    }
    const v = f?.type === 'long_text' || f?.type === 'short_text' ? list[0]! : list[0]!.trim();
    if (v.trim() === '') continue;
    if (f?.type === 'amount') {
      const n = Number(v.replace(/\s/g, '').replace(',', '.'));
      answers[id] = Number.isFinite(n) && /^[\d\s.,]+$/.test(v) ? n : v;
    } else answers[id] = v;
  }
  return answers;
}

// ---- receipt, follow-up -------------------------------------------------------------------------

function receiptPage(
  pc: Channel,
  path: string,
  receipt: string,
  files: readonly { name: string; metadataRemoved: boolean }[],
  escrow: boolean,
): string {
  const lang = pageLang(pc.language);
  const tr = (k: string) => t(lang, `reports.page.${k}`);
  const body = h`<h1>${tr('receipt_title')}</h1>
${escrowNotice(lang, escrow, 'escrow_report')}
<div class="card"><p><strong>${tr('receipt_intro')}</strong></p>
<p class="receipt" lang="en">${receipt}</p>
<p>${tr('receipt_keep')}</p>
${
  files.length
    ? h`<p><strong>${tr('files_attached')}</strong></p><ul>${files.map(
        (f) =>
          h`<li><bdi>${f.name}</bdi> — ${tr(f.metadataRemoved ? 'metadata_removed' : 'metadata_kept')}</li>`,
      )}</ul>`
    : ''
}
<p>${tr('receipt_next')} <a href="${path}/follow-up?lang=${lang}">${tr('follow_up_link')}</a></p></div>`;
  return layout({ lang, title: tr('receipt_title'), organisation: pc.organisation }, body);
}

function receiptForm(pc: Channel, path: string, lang: Locale, error?: string): string {
  const tr = (k: string, v: Record<string, string | number> = {}) => t(lang, `reports.page.${k}`, v);
  const body = h`<h1>${tr('title_follow_up')}</h1>
<p class="small">${pc.name}</p>
${escrowNotice(lang, pc.escrow)}
${error ? h`<div class="card alert" role="alert">${error}</div>` : ''}
<form class="card" method="post" action="${path}/follow-up" enctype="multipart/form-data" autocomplete="off">
<input type="hidden" name="lang" value="${lang}">
<p>${tr('follow_up_intro')}</p>
<div class="field${error ? ' invalid' : ''}"><label for="receipt">${tr('receipt_label', { count: pc.receiptDigits })}</label>
<span class="help" id="receipt-help">${tr('receipt_help')}</span>
<input type="text" id="receipt" name="receipt" inputmode="numeric" autocomplete="off" spellcheck="false" required aria-describedby="receipt-help"></div>
<p><button type="submit">${tr('open')}</button></p></form>
<p class="small"><a href="${path}?lang=${lang}">${tr('back')}</a></p>`;
  return layout(
    {
      lang,
      title: tr('title_follow_up'),
      organisation: pc.organisation,
      languages: pc.languages,
      path: `${path}/follow-up`,
    },
    body,
  );
}

function threadPage(
  pc: Channel,
  path: string,
  lang: Locale,
  receipt: string,
  v: View,
  files: readonly FileItem[],
  attach: Attach,
  notice?: { ok: boolean; text: string },
  /** The reply typed before a refusal, shown again in the reply box. */
  draft = '',
): string {
  const tr = (k: string, vars: Record<string, string | number> = {}) => t(lang, `reports.page.${k}`, vars);
  const hidden = h`<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="receipt" value="${receipt}">`;
  const when = (iso: string) =>
    `${new Intl.DateTimeFormat(intl(lang), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
  const body = h`<h1>${tr('thread_title')}</h1>
<p class="small">${v.channel}</p>
${v.escrow ? escrowNotice(lang, true, 'escrow_report') : escrowNotice(lang, pc.escrow, 'escrow_not_this')}
${notice ? h`<div class="card ${notice.ok ? 'ok' : 'alert'}" role="status">${notice.text}</div>` : ''}
<div class="card"><p><strong>${tr('status')}</strong> ${tr(`statuses.${v.status}`)}<br>
<strong>${tr('received')}</strong> <time datetime="${v.receivedAt}">${when(v.receivedAt)}</time></p>
<p class="small">${tr('times_utc')}</p></div>
<section class="card"><h2>${tr('messages')}</h2>${
    v.messages.length
      ? v.messages.map(
          (m) =>
            h`<div class="msg ${m.direction}"><div class="who">${tr(m.direction === 'handler' ? 'from_handlers' : 'from_you')} · <time datetime="${m.at}">${when(m.at)}</time></div><p dir="auto">${m.body}</p></div>`,
        )
      : h`<p>${tr('no_messages')}</p>`
  }
${
  v.status === 'closed'
    ? h`<p><strong>${tr('closed')}</strong></p>`
    : h`<form method="post" action="${path}/follow-up/messages" enctype="multipart/form-data" autocomplete="off">
${hidden}
<div class="field"><label for="body">${tr('reply')}</label><textarea id="body" name="body" maxlength="20000" rows="5" dir="auto">${draft}</textarea></div>
<div class="field"><label for="files">${tr('add_files')}</label><span class="help" id="files-help">${tr(
        'attachments_help',
        {
          count: attach.maxFiles,
          size: Math.floor(attach.maxBytes / 1_048_576),
          types: extensions(attach.types).join(', '),
        },
      )}</span><input type="file" id="files" name="files" multiple accept="${extensions(attach.types).join(',')}" aria-describedby="files-help"></div>
<p><button type="submit">${tr('send')}</button></p></form>`
}</section>
${
  files.length
    ? h`<section class="card"><h2>${tr('files')}</h2><ul class="files">${files.map(
        (
          f,
        ) => h`<li><form method="post" action="${path}/follow-up/files" enctype="multipart/form-data">${hidden}<input type="hidden" name="fileId" value="${f.id}">
<bdi>${f.name}</bdi> <span class="small">(${tr('kb', { n: num(lang, Math.max(1, Math.ceil(f.size / 1024))) })}, ${tr(
          f.direction === 'handler' ? 'from_handlers' : 'from_you',
        )}${f.direction === 'reporter' ? h`, ${tr(f.metadataRemoved ? 'metadata_removed' : 'metadata_kept')}` : ''})</span>
<button type="submit" class="link">${tr('download')}</button></form></li>`,
      )}</ul></section>`
    : ''
}
<section class="card"><h2>${tr('your_answers')}</h2><dl class="answers">${v.answers.map(
    (a) => h`<dt>${a.label}</dt><dd dir="auto">${a.value || '—'}</dd>`,
  )}</dl></section>`;
  return layout({ lang, title: tr('thread_title'), organisation: pc.organisation }, body);
}

/**
 * Files that were not accepted, in the reporter's language, one line each, then the reminder
 * that the answers are kept and the files must be chosen again (a browser does not keep them).
 * `rejected` come from the form parser (each with its name); `err` from the service (limits
 * of the whole report, unreadable or protected files).
 */
function fileProblems(
  lang: Locale,
  attach: Attach,
  rejected: readonly RejectedFile[],
  err?: AppError,
): string[] {
  const tr = (k: string, v: Record<string, string | number> = {}) => t(lang, `reports.page.errors.${k}`, v);
  const vars = {
    size: Math.floor(attach.maxBytes / 1_048_576),
    total: Math.floor(attach.maxTotalBytes / 1_048_576),
    count: attach.maxFiles,
    types: extensions(attach.types).join(', '),
  };
  const KEY = { too_large: 'file_too_large', type: 'file_type', empty: 'file_empty', too_many: 'file_count' };
  const lines = rejected.map(({ filename: name, reason }) => tr(KEY[reason], { ...vars, name }));
  if (err) {
    const detail = err.details?.[0]?.message ?? '';
    lines.push(
      tr(
        err.code === 'PAYLOAD_TOO_LARGE'
          ? /per report/.test(detail)
            ? 'file_total'
            : 'file_too_large_any'
          : err.code === 'UNSUPPORTED_MEDIA_TYPE'
            ? 'file_refused'
            : /files per report/.test(detail)
              ? 'file_count_report'
              : /empty/.test(detail)
                ? 'file_empty_any'
                : 'file_unreadable',
        vars,
      ),
    );
  }
  return lines.length ? [...lines, tr('files_again')] : [];
}

/** The status of a post whose files were refused: 413 if one was too large, else the first refusal's. */
const refusedStatus = (rejected: readonly RejectedFile[]) =>
  rejected.some((r) => r.error.code === 'PAYLOAD_TOO_LARGE') ? 413 : rejected[0]!.error.status;

/** A service refusal about the files (not the answers): the form or thread says so and keeps the text. */
const isFileError = (e: AppError) =>
  e.code === 'PAYLOAD_TOO_LARGE' ||
  e.code === 'UNSUPPORTED_MEDIA_TYPE' ||
  Boolean(e.details?.some((d) => d.path === 'file'));

function errorPage(lang: Locale, err: AppError): string {
  const tr = (k: string) => t(lang, `reports.page.${k}`);
  const notFound = err.status === 404;
  const text =
    err.code === 'RATE_LIMITED'
      ? tr('rate_limited')
      : err.code === 'UNAVAILABLE'
        ? tr('unavailable')
        : err.code === 'PAYLOAD_TOO_LARGE'
          ? tr('too_large')
          : err.code === 'UNSUPPORTED_MEDIA_TYPE'
            ? tr('file_type')
            : tr(notFound ? 'not_found' : 'error_generic');
  const title = tr(notFound ? 'not_found_title' : 'error_title');
  return layout(
    { lang, title },
    h`<h1>${title}</h1><div class="card alert" role="alert"><p>${text}</p></div>`,
  );
}

// ---- routes -------------------------------------------------------------------------------------

export function reportPages(r: Router, svc: ReportsService) {
  const base = (p: { org: string; channel: string }) => `/report/${p.org}/${p.channel}`;
  const attach: Attach = {
    maxFiles: svc.files.limits.maxFiles,
    maxBytes: svc.files.limits.maxFileBytes,
    maxTotalBytes: svc.files.limits.maxTotalBytes,
    types: ATTACHMENT_TYPES,
  };
  /** The files of the form and reply pages: refused ones come to the handler (`rejected`), not as an error page. */
  const formFiles = {
    name: 'files',
    maxFiles: attach.maxFiles,
    maxBytes: attach.maxBytes,
    types: attach.types,
    report: true,
  };
  const pageError = (err: AppError, ctx: RouteContext<unknown, unknown, unknown>) => {
    strictHeaders(ctx.reply);
    const form = (ctx as { form?: { fields?: { lang?: unknown } } }).form;
    const lang = typeof form?.fields?.lang === 'string' ? pageLang(form.fields.lang) : requestLang(ctx);
    return errorPage(lang, err);
  };
  const channel = (p: { org: string; channel: string }, lang: string | undefined, locale: Locale) =>
    svc.publicChannel(p.org, p.channel, lang, locale);

  r.get({
    access: 'public',
    anonymous: true,
    params: C.PublicChannelParam,
    errorPage: pageError,
    url: PAGE,
    summary: "Reporter's page: the channel's questionnaire as an HTML form (no JavaScript)",
    query: PageQuery,
    handler: async (ctx) => {
      strictHeaders(ctx.reply);
      const pc = await channel(ctx.params, asked(ctx.query), requestLang(ctx));
      return html(formPage(pc, base(ctx.params), attach));
    },
  });

  r.post({
    access: 'public',
    anonymous: true,
    params: C.PublicChannelParam,
    errorPage: pageError,
    url: PAGE,
    summary: "Reporter's page: the form posted; the receipt page, or the form again with its errors (422)",
    // Files arrive with the form (an `attachment` field's <input type=file multiple name=files>).
    form: {
      fields: ReportForm,
      maxFields: 300,
      files: formFiles,
    },
    handler: async (ctx) => {
      strictHeaders(ctx.reply);
      const values = ctx.form.fields as Values;
      const lang = String(values.lang);
      const pc = await channel(ctx.params, lang, requestLang(ctx));
      const path = base(ctx.params);
      const ui = pageLang(pc.language);
      // A refused file sends nothing: the form comes back with the answers and the reason.
      const { rejected } = ctx.form;
      if (rejected.length) {
        ctx.reply.status(refusedStatus(rejected));
        return html(formPage(pc, path, attach, values, new Map(), fileProblems(ui, attach, rejected)));
      }
      try {
        const { receipt, files, escrow } = await svc.submit(
          ctx.params.org,
          ctx.params.channel,
          {
            language: (CHANNEL_LANGUAGES as readonly string[]).includes(lang)
              ? (lang as ChannelLanguage)
              : 'en',
            answers: answersOf(pc, values),
            // The escrow state this form showed: a report is never escrowed without its notice.
            ...(typeof values.escrow === 'string' ? { escrow: values.escrow === 'on' } : {}),
          },
          ctx.form.files,
        );
        ctx.reply.status(201);
        return html(receiptPage(pc, path, receipt, files, escrow));
      } catch (e) {
        const err = e as AppError;
        if (isFileError(err)) {
          ctx.reply.status(err.status);
          return html(formPage(pc, path, attach, values, new Map(), fileProblems(ui, attach, [], err)));
        }
        if (err.code !== 'VALIDATION_FAILED') throw e;
        const errors = new Map<string, string>();
        const general = new Set<string>();
        for (const d of err.details ?? []) {
          const id = d.path.startsWith('answers.') ? d.path.slice('answers.'.length) : undefined;
          const f = id ? pc.fields.find((x) => x.id === id) : undefined;
          if (f && !errors.has(f.id)) errors.set(f.id, fieldError(ui, f, d.message));
          else if (!f)
            general.add(
              t(
                ui,
                `reports.page.errors.${d.path === 'language' || d.path === 'escrow' ? d.path : 'unknown'}`,
              ),
            );
        }
        ctx.reply.status(422);
        return html(formPage(pc, path, attach, values, errors, [...general]));
      }
    },
  });

  r.get({
    access: 'public',
    anonymous: true,
    params: C.PublicChannelParam,
    errorPage: pageError,
    url: `${PAGE}/follow-up`,
    summary: "Reporter's page: the receipt form to follow up on a report",
    query: PageQuery,
    handler: async (ctx) => {
      strictHeaders(ctx.reply);
      const pc = await channel(ctx.params, asked(ctx.query), requestLang(ctx));
      return html(receiptForm(pc, base(ctx.params), pageLang(pc.language)));
    },
  });

  /** The thread of a receipt; a wrong receipt is slowed by the service, then answered 404/429. */
  const thread = async (
    ctx: RouteContext<z.infer<typeof C.PublicChannelParam>, unknown, unknown>,
    fields: { lang: string; receipt: string },
    notice?: { ok: boolean; text: string },
    draft?: string,
  ) => {
    const pc = await channel(ctx.params, fields.lang, requestLang(ctx));
    const lang = pageLang(pc.language);
    const path = base(ctx.params);
    try {
      const { view, files } = await svc.reporterThread(ctx.params.org, fields.receipt, lang);
      return html(threadPage(pc, path, lang, fields.receipt, view, files, attach, notice, draft));
    } catch (e) {
      return wrongReceipt(ctx, pc, e);
    }
  };
  /** A wrong receipt (already slowed by the service) or too many: the receipt form, 404 or 429. */
  const wrongReceipt = (
    ctx: { reply: FastifyReply; params: { org: string; channel: string } },
    pc: Channel,
    e: unknown,
  ) => {
    const err = e as AppError;
    if (err.code !== 'NOT_FOUND' && err.code !== 'RATE_LIMITED') throw e;
    const lang = pageLang(pc.language);
    if (err.headers) ctx.reply.headers(err.headers);
    ctx.reply.status(err.status);
    const msg = t(lang, `reports.page.${err.code === 'NOT_FOUND' ? 'wrong_receipt' : 'rate_limited'}`);
    return html(receiptForm(pc, base(ctx.params), lang, msg));
  };

  r.post({
    access: 'public',
    anonymous: true,
    params: C.PublicChannelParam,
    errorPage: pageError,
    url: `${PAGE}/follow-up`,
    summary: "Reporter's page: the report of a receipt — answers, messages — and a reply form",
    form: { fields: ReceiptForm },
    handler: async (ctx) => {
      strictHeaders(ctx.reply);
      return thread(ctx, ctx.form.fields);
    },
  });

  r.post({
    access: 'public',
    anonymous: true,
    params: C.PublicChannelParam,
    errorPage: pageError,
    url: `${PAGE}/follow-up/messages`,
    summary: "Reporter's page: the reporter's reply, then the thread again",
    form: {
      fields: MessageForm,
      files: formFiles,
    },
    handler: async (ctx) => {
      strictHeaders(ctx.reply);
      const { lang, receipt, body } = ctx.form.fields;
      const text = body.replace(/\r\n?/g, '\n').trim();
      const { files, rejected } = ctx.form;
      // A refused file sends nothing, the message neither: the thread says why and keeps the text.
      const refused = (status: number, problems: string[]) => {
        ctx.reply.status(status);
        return thread(ctx, { lang, receipt }, { ok: false, text: problems.join(' ') }, body);
      };
      if (rejected.length)
        return refused(refusedStatus(rejected), fileProblems(pageLang(lang), attach, rejected));
      if (!text && files.length === 0) return thread(ctx, { lang, receipt });
      const pc = await channel(ctx.params, lang, requestLang(ctx));
      const ui = pageLang(pc.language);
      // One receipt derivation and one transaction for the message, its files and the thread.
      let done: Awaited<ReturnType<ReportsService['reporterReply']>>;
      try {
        done = await svc.reporterReply(ctx.params.org, receipt, { body: text, files }, ui);
      } catch (e) {
        const err = e as AppError;
        if (isFileError(err)) return refused(err.status, fileProblems(ui, attach, [], err));
        return wrongReceipt(ctx, pc, e);
      }
      const notice = done.closed
        ? { ok: false, text: t(ui, 'reports.page.closed') }
        : { ok: true, text: t(ui, 'reports.page.sent') };
      return html(threadPage(pc, base(ctx.params), ui, receipt, done.view, done.files, attach, notice));
    },
  });

  r.post({
    access: 'public',
    anonymous: true,
    params: C.PublicChannelParam,
    errorPage: pageError,
    url: `${PAGE}/follow-up/files`,
    summary: "Reporter's page: download a file of the receipt's report (decrypted in memory)",
    form: { fields: FileForm },
    handler: async (ctx) => {
      strictHeaders(ctx.reply);
      const { lang, receipt, fileId } = ctx.form.fields;
      try {
        return download(await svc.reporterFile(ctx.params.org, receipt, fileId));
      } catch (e) {
        return wrongReceipt(ctx, await channel(ctx.params, lang, requestLang(ctx)), e);
      }
    },
  });
}
