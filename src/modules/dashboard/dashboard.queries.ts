import { sql } from 'drizzle-orm';
import { rows, type TenantTx } from '../../platform/db/tenant.ts';

/** The active organisation's name (RLS shows a tenant its own organisation row only). */
export async function organisationName(tx: TenantTx): Promise<string> {
  const list = await rows<{ name: string }>(tx.execute(sql`select name from organisations limit 1`));
  return list[0]?.name ?? '';
}
