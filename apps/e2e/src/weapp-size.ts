import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  subpackages?: { root: string; pages: string[] }[];
}

export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * The files of a weapp build's main package — what WeChat downloads before the first page — and their total
 * size: everything outside the subpackage roots, license notes aside (WeChat DevTools leaves them out).
 */
export async function weappMainPackage(dist: string): Promise<{ files: string[]; bytes: number }> {
  const appJson = JSON.parse(await readFile(path.join(dist, 'app.json'), 'utf8')) as AppJson;
  const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((sub) => path.join(dist, sub.root));
  const files = (await filesUnder(dist)).filter(
    (file) => !subRoots.some((root) => file.startsWith(`${root}${path.sep}`)) && !file.endsWith('.LICENSE.txt'),
  );
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  return { files, bytes: sizes.reduce((a, b) => a + b, 0) };
}
