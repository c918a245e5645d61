/**
 * Compiles the API server into one JavaScript file, `dist/server/index.mjs`, which production and the load
 * benchmark run with plain `node` (`pnpm --filter @lumi/api start`). Running the TypeScript through tsx costs a
 * module-loader thread and its transform cache for the life of the process (resident memory) and source-mapped
 * stacks; the compiled file costs neither. The workspace packages (@lumi/shared, TypeScript source) are bundled
 * in; every other dependency stays an import resolved from node_modules as usual. The file sits two folders
 * below the package, like src/db/migrate.ts, so `../../drizzle` still finds the migrations.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const external = Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@lumi/'));

await build({
  absWorkingDir: root,
  entryPoints: ['src/server.ts'],
  outfile: 'dist/server/index.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
});
