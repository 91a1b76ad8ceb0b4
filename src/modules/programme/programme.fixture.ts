import type { Client, Harness } from '../../platform/testing/harness.ts';
import { IdentityService } from '../identity/index.ts';

// Set-up shared by the programme's test files (not loaded at start).

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
