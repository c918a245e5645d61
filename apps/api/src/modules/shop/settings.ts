import type { ShopSettings, UpdateShopSettingsRequest } from '@lumi/shared';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { recordAudit } from '../audit/index.ts';
import { shopSettings } from './tables.ts';

/** A salon with no row yet has the table's defaults. */
export const DEFAULT_SHOP_SETTINGS: ShopSettings = {
  afterSaleApproval: true,
  autoReceiveDays: 10,
  autoCompleteDays: 7,
};

export async function getShopSettings(db: Database, tenantId: string): Promise<ShopSettings> {
  const [row] = await db.select().from(shopSettings).where(eq(shopSettings.tenantId, tenantId));
  if (!row) return DEFAULT_SHOP_SETTINGS;
  return {
    afterSaleApproval: row.afterSaleApproval,
    autoReceiveDays: row.autoReceiveDays,
    autoCompleteDays: row.autoCompleteDays,
  };
}

/** 商城设置 by a manager: only the rules given change; the change is in the audit log. */
export async function updateShopSettings(
  db: Database,
  staff: StaffPrincipal,
  request: UpdateShopSettingsRequest,
): Promise<ShopSettings> {
  return db.transaction(async (tx) => {
    const before = await getShopSettings(tx, staff.tenantId);
    const after = { ...before, ...request };
    await tx
      .insert(shopSettings)
      .values({ tenantId: staff.tenantId, ...after })
      .onConflictDoUpdate({ target: shopSettings.tenantId, set: { ...after, updatedAt: new Date() } });
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: 'shop.settings_changed',
      subject: { type: 'shop_settings', id: staff.tenantId },
      before,
      after,
    });
    return after;
  });
}
