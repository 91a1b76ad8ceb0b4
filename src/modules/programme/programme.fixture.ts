import assert from 'node:assert/strict';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { IdentityService } from '../identity/index.ts';

// Set-up shared by the programme's test files (not loaded at start): its cast, and the donors,
// partnerships and agreements they fund.

/** A new user with `roles` in organisation `orgId`, with the harness's test password, signed in. */
export async function memberOf(h: Harness, orgId: string, email: string, roles: string[]): Promise<Client> {
  const idsvc = new IdentityService(h.kernel);
  const [{ hash } = { hash: '' }] = await h.kernel.db.query<{ hash: string }>(
    'select password_hash as hash from users where email = $1',
    [h.a.users.staff.email],
  );
  const u = await idsvc.ensureUser({ email, name: email, passwordHash: hash });
  await idsvc.addMembership(orgId, u.id, roles);
  return h.as(email);
}

/**
 * The programme's cast beside the harness's tenants A and B: a WCO Secretariat with a programme
 * manager, and two donor organisations with a donor viewer each (`tag` keeps the e-mails apart).
 */
export async function programmeWorld(h: Harness, tag = '') {
  const idsvc = new IdentityService(h.kernel);
  const org = async (type: 'secretariat' | 'donor', name: string) =>
    (await idsvc.createOrganisation(null, { type, name })).id;
  const secretariatId = await org('secretariat', 'WCO Secretariat');
  const sec = await memberOf(h, secretariatId, `pm@${tag}wco.test`, ['programme_manager']);
  const donorOrg1 = await org('donor', 'Donor One Agency');
  const donorOrg2 = await org('donor', 'Donor Two Fund');
  const donor1 = await memberOf(h, donorOrg1, `viewer@${tag}donor1.test`, ['donor_viewer']);
  const donor2 = await memberOf(h, donorOrg2, `viewer@${tag}donor2.test`, ['donor_viewer']);
  return { secretariatId, sec, donorOrg1, donorOrg2, donor1, donor2 };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON test payloads
export type Json = Record<string, any>;

/** The response's JSON once its status is `status` (else fails with the start of its body). */
export async function ok(
  res: { statusCode: number; body: string; json(): unknown },
  status = 200,
): Promise<Json> {
  assert.equal(res.statusCode, status, res.body.slice(0, 600));
  return res.json() as Json;
}

/** An expression of interest as an administration submits it (its wording matters to no test). */
export const EOI = {
  headName: 'Nadia Okello',
  headTitle: 'Commissioner General',
  endorsedOn: '2026-03-02',
  priorities: [{ factor: 6, note: 'An internal affairs unit' }],
  initiatives: '',
  contactName: 'Ines Integrity',
  contactEmail: 'ines@example.org',
};

/** A programme donor for donor organisation `organisationId`, added by the Secretariat; its id. */
export async function addDonor(sec: Client, name: string, organisationId: string): Promise<string> {
  return (await ok(await sec.post('/api/programme/donors', { name, organisationId }), 201)).id;
}

/**
 * `admin`'s expression of interest, taken by the Secretariat (decided 2026-04-01) through screening
 * (estimated at `estimatedCost`) to a partnership with `donorIds`, from 2026-05-01 to 2028-12-31
 * unless `partnership` says otherwise; the partnership's id.
 */
export async function partnershipOf(
  sec: Client,
  admin: Client,
  donorIds: string[],
  partnership: Json = {},
  estimatedCost = { amount: '1000.00', currency: 'EUR' },
): Promise<string> {
  const eoi = (await ok(await admin.post('/api/programme/eois', EOI), 201)).id as string;
  const move = async (to: string, extra: Json = {}) => {
    const cur = await ok(await sec.get(`/api/programme/eois/${eoi}`));
    await ok(
      await sec.post(`/api/programme/eois/${eoi}/transition`, {
        version: cur.version,
        to,
        reason: `to ${to}`,
        decidedOn: '2026-04-01',
        ...extra,
      }),
    );
  };
  await move('screening');
  await move('eligible_awaiting_funding', { estimatedCost });
  await move('partner', {
    partnership: {
      startsOn: '2026-05-01',
      endsOn: '2028-12-31',
      donorIds,
      coordinatorName: 'C',
      coordinatorEmail: 'c@example.org',
      ...partnership,
    },
  });
  const items = (await ok(await sec.get('/api/programme/partnerships'))).items as Json[];
  return items.find((p) => p.eoiId === eoi)!.id;
}

/** A funding agreement of `donorId`, from 2026-01-01 to 2028-12-31 unless `extra` says otherwise; its id. */
export async function addAgreement(
  sec: Client,
  donorId: string,
  reference: string,
  amount: string,
  currency: string,
  extra: Json = {},
): Promise<string> {
  const body = {
    donorId,
    reference,
    amount: { amount, currency },
    startsOn: '2026-01-01',
    endsOn: '2028-12-31',
  };
  return (await ok(await sec.post('/api/programme/agreements', { ...body, ...extra }), 201)).id;
}

/** An outcome or output of partnership `partnershipId`, added by the Secretariat; its id. */
export async function addResult(
  sec: Client,
  partnershipId: string,
  level: 'outcome' | 'output',
  title: string,
  parentId?: string,
): Promise<string> {
  const body = { level, title, ...(parentId ? { parentId } : {}) };
  return (await ok(await sec.post(`/api/programme/partnerships/${partnershipId}/results`, body), 201)).id;
}

/**
 * A RAD self-assessment of the harness's tenant A taken to validated by its team — the integrity
 * officer facilitating, the analyst rating each item `rating(refId)`, the executive signing; its id.
 */
export async function validatedAssessment(
  h: Harness,
  team: { officer: Client; analyst: Client; executive: Client },
  title: string,
  rating: (refId: string) => number,
): Promise<string> {
  const { officer, analyst, executive } = team;
  const opts = await ok(await officer.get('/api/assessments/options'));
  const frameworkLibraryId = opts.frameworks.find(
    (f: Json) => f.urn === 'urn:arusha:library:rad-idg',
  ).libraryId;
  const a = await ok(
    await officer.post('/api/assessments', {
      title,
      type: 'self',
      frameworkLibraryId,
      team: [
        { userId: h.a.users.integrity_officer.id, role: 'facilitator' },
        { userId: h.a.users.analyst.id, role: 'assessor' },
        { userId: h.a.users.executive.id, role: 'executive_sponsor' },
      ],
    }),
    201,
  );
  const move = async (to: string) => {
    const cur = await ok(await officer.get(`/api/assessments/${a.id}`));
    await ok(await officer.post(`/api/assessments/${a.id}/transition`, { to, version: cur.version }));
  };
  await move('in_progress');
  const factors = (await ok(await officer.get(`/api/assessments/${a.id}/items`))).factors as Json[];
  for (const f of factors)
    for (const i of f.items)
      await ok(
        await analyst.request({
          method: 'PUT',
          url: `/api/assessments/${a.id}/items/${i.id}/response`,
          payload: { version: i.response.version, rating: rating(i.refId) },
        }),
      );
  await move('in_review');
  const cur = await ok(await officer.get(`/api/assessments/${a.id}`));
  await ok(
    await executive.post(`/api/assessments/${a.id}/validate`, { version: cur.version, note: 'Signed' }),
  );
  return a.id;
}
