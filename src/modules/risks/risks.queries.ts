import { sql } from 'drizzle-orm';
import { rows, type TenantTx } from '../../platform/db/tenant.ts';

// Reads of other modules' tables that the register needs for its pickers and its import
// (unit and owner look-ups). Row-level security confines them to the caller's tenant.

export interface UnitRow {
  id: string;
  name: string;
  code: string | null;
}
export interface MemberRow {
  userId: string;
  name: string;
  email: string;
}

export const listUnits = (tx: TenantTx) =>
  rows<UnitRow>(tx.execute(sql`select id, name, code from org_units order by name`));

export const listMembers = (tx: TenantTx) =>
  rows<MemberRow>(
    tx.execute(
      sql`select u.id as "userId", u.name, u.email from memberships m join users u on u.id = m.user_id order by u.name`,
    ),
  );

export const currentTenant = async (tx: TenantTx) =>
  (await rows<{ t: string }>(tx.execute(sql`select current_setting('app.tenant_id', true) as t`)))[0]!.t;
