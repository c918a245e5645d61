import type { AuditedSettingsSection } from '@lumi/shared';
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../audit/index.ts';
import { forgetTenantSettings, readSettingsSection, tenants } from '../tenants/index.ts';

// A module of its own because a change is audited, and the audit log sits above tenants (its rows name the tenant).

/** Merges a manager's changes into one section under the tenant's row lock; audited as `<section>.settings_changed`. */
export async function updateSettingsSection<S extends z.ZodType>(
  db: Database,
  input: {
    tenantId: string;
    staffId: string;
    section: AuditedSettingsSection;
    schema: S;
    changes: Record<string, unknown>;
  },
): Promise<z.output<S>> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from tenants where id = ${input.tenantId} for update`);
    const before = await readSettingsSection(tx, input.tenantId, input.section, input.schema);
    const after = input.schema.parse({ ...(before as object), ...input.changes });
    await tx
      .update(tenants)
      .set({
        settings: sql`jsonb_set(${tenants.settings}, ${`{${input.section}}`}::text[], ${JSON.stringify(after)}::jsonb, true)`,
      })
      .where(eq(tenants.id, input.tenantId));
    forgetTenantSettings(tx, input.tenantId);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: { staffId: input.staffId },
      action: `${input.section}.settings_changed`,
      subject: { type: 'tenant', id: input.tenantId },
      before,
      after,
    });
    return after;
  });
}
