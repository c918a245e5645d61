export interface MiniApp {
  appid: string;
  secret: string;
}

export const DEFAULT_APPS: readonly MiniApp[] = [
  { appid: 'wx0000000000customer', secret: 'customer-dev-secret' },
  { appid: 'wx00000000000000staff', secret: 'staff-dev-secret' },
];

export interface MiniAppRegistry {
  find(appid: string): MiniApp | undefined;
  all(): MiniApp[];
}

export function createMiniAppRegistry(apps: readonly MiniApp[]): MiniAppRegistry {
  const byId = new Map(apps.map((app) => [app.appid, app]));
  return { find: (appid) => byId.get(appid), all: () => [...byId.values()] };
}
