import { SHOP_IMAGE_TYPES, type ShopImage, type ShopImageType } from '@lumi/shared';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { shopImages } from './tables.ts';

/**
 * What the bytes are, by their signature: the name and the declared type of an upload are the client's word, and a
 * file named .png may be anything (an SVG with a script, an HTML page). Null for anything but JPEG, PNG or WebP.
 */
export function sniffImageType(bytes: Uint8Array): ShopImageType | null {
  const starts = (offset: number, ...signature: number[]) => signature.every((b, i) => bytes[offset + i] === b);
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  // RIFF <size> WEBP
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}

/** Where an uploaded picture is served: under its tenant, so one salon's path never names another's picture. */
export const uploadedImagePath = (tenantId: string, id: string, type: ShopImageType) =>
  `/shop-images/${tenantId}/${id}.${SHOP_IMAGE_TYPES[type]}`;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UPLOADED_PATH = new RegExp(`^/shop-images/(${UUID})/(${UUID})\\.(jpg|png|webp)$`);
/** An uploaded picture's file name: its id (a UUID, or the database would refuse the lookup) and extension. */
export const UPLOADED_FILE = new RegExp(`^${UUID}\\.(jpg|png|webp)$`);

/**
 * Whether an item may name this picture: a gallery one always, an uploaded one only when it is the tenant's own
 * (another salon's path, or a made-up one, is not).
 */
export async function mayUseImage(db: Database, tenantId: string, path: string): Promise<boolean> {
  const match = UPLOADED_PATH.exec(path);
  if (!match) return true;
  const [, owner, id, extension] = match;
  if (owner !== tenantId) return false;
  const [row] = await db
    .select({ contentType: shopImages.contentType })
    .from(shopImages)
    .where(and(eq(shopImages.tenantId, tenantId), eq(shopImages.id, id!)));
  return row !== undefined && SHOP_IMAGE_TYPES[row.contentType] === extension;
}

export async function saveImage(
  db: Database,
  staff: { tenantId: string; id: string },
  bytes: Buffer,
  contentType: ShopImageType,
): Promise<ShopImage> {
  const [row] = await db
    .insert(shopImages)
    .values({ tenantId: staff.tenantId, contentType, bytes, byteSize: bytes.length, uploadedBy: staff.id })
    .returning({ id: shopImages.id });
  if (!row) throw new Error('image insert returned nothing');
  return {
    id: row.id,
    path: uploadedImagePath(staff.tenantId, row.id, contentType),
    contentType,
    byteSize: bytes.length,
  };
}

/** The tenant's picture named by its path's parts, or null (another tenant's, made up, or the wrong extension). */
export async function findImage(db: Database, tenantId: string, id: string, extension: string) {
  const [row] = await db
    .select({ contentType: shopImages.contentType, bytes: shopImages.bytes })
    .from(shopImages)
    .where(and(eq(shopImages.tenantId, tenantId), eq(shopImages.id, id)));
  if (!row || SHOP_IMAGE_TYPES[row.contentType] !== extension) return null;
  return { contentType: row.contentType, bytes: Buffer.from(row.bytes) };
}
