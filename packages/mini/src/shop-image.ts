import { getMiniConfig } from './config.ts';

/** A shop picture's address: the API serves them itself (`/shop-images/…`), so the path goes after its base. */
export const shopImageUrl = (path: string | null) => (path ? `${getMiniConfig().apiBase}${path}` : '');
