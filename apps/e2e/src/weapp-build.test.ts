import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_IDS, appDir, distDir, MINI_APPS } from './apps.ts';
import { weappMainPackage } from './weapp-size.ts';

/** WeChat refuses a main package over 2 MB; this budget warns long before that. */
const MAIN_PACKAGE_BUDGET_BYTES = 1024 * 1024;

interface AppJson {
  pages: string[];
  tabBar?: { custom?: boolean };
  subPackages?: { root: string; pages: string[] }[];
  subpackages?: { root: string; pages: string[] }[];
}

async function sourcePages(app: (typeof MINI_APPS)[number]): Promise<string[]> {
  // app.config.ts calls Taro's build-time global; evaluate it with a stand-in.
  (globalThis as { defineAppConfig?: (config: unknown) => unknown }).defineAppConfig = (config) => config;
  const { default: config } = (await import(path.join(appDir(app), 'src', 'app.config.ts'))) as { default: AppJson };
  const subPackages = config.subPackages ?? config.subpackages ?? [];
  return [...config.pages, ...subPackages.flatMap((sub) => sub.pages.map((page) => `${sub.root}/${page}`))];
}

describe.each(MINI_APPS)('%s weapp build', (app) => {
  const dist = distDir(app, 'weapp');

  it('lists every page of app.config.ts in app.json, and each page has its four files', async () => {
    const appJson = JSON.parse(await readFile(path.join(dist, 'app.json'), 'utf8')) as AppJson;
    const built = [
      ...appJson.pages,
      ...(appJson.subPackages ?? appJson.subpackages ?? []).flatMap((sub) => sub.pages.map((p) => `${sub.root}/${p}`)),
    ];
    const expected = await sourcePages(app);
    expect(built.sort()).toEqual([...expected].sort());
    expect(appJson.pages).toContain('pages/login/index');

    // A custom tab bar is a component WeChat looks for at custom-tab-bar/index, with the same four files.
    const components = appJson.tabBar?.custom ? ['custom-tab-bar/index'] : [];
    for (const page of [...built, ...components]) {
      for (const ext of ['js', 'json', 'wxml', 'wxss']) {
        const info = await stat(path.join(dist, `${page}.${ext}`)).catch(() => null);
        expect(info?.isFile(), `${page}.${ext}`).toBe(true);
      }
    }
    for (const component of components)
      expect(JSON.parse(await readFile(path.join(dist, `${component}.json`), 'utf8'))).toMatchObject({
        component: true,
      });
  });

  it('keeps the main package small and free of build-time leftovers', async () => {
    const { files, bytes: total } = await weappMainPackage(dist);
    console.log(`[e2e] ${app} weapp main package: ${(total / 1024).toFixed(1)} KiB in ${files.length} files`);
    expect(total).toBeLessThan(MAIN_PACKAGE_BUDGET_BYTES);

    const scripts = files.filter((file) => file.endsWith('.js'));
    for (const file of scripts) {
      const code = await readFile(file, 'utf8');
      // An env key missing from .env stays a bare process.env, which throws in WeChat's JS engine.
      expect(code.includes('process.env'), `${path.relative(dist, file)} mentions process.env`).toBe(false);
      // zod belongs to the API contracts; the mini-programs must not ship it (see taro-config.cjs).
      expect(/\$ZodType|ZodError/.test(code), `${path.relative(dist, file)} bundles zod`).toBe(false);
      // The loopback simulator is for H5 only.
      expect(code.includes('__control'), `${path.relative(dist, file)} calls the simulator`).toBe(false);
    }
  });

  it('carries its appid into project.config.json', async () => {
    const project = JSON.parse(await readFile(path.join(dist, 'project.config.json'), 'utf8')) as { appid: string };
    expect(project.appid).toBe(APP_IDS[app]);
  });
});
