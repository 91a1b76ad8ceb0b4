import { sql } from 'drizzle-orm';
import { rows, type TenantTx } from '../../platform/db/tenant.ts';

export const currentTenant = async (tx: TenantTx) =>
  (await rows<{ t: string }>(tx.execute(sql`select current_setting('app.tenant_id', true) as t`)))[0]!.t;
