import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateOpenApi } from './openapi.ts';

/** `pnpm --filter @lumi/api openapi` rewrites docs/openapi.json; a test fails when it is stale. */
const target = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
writeFileSync(target, await generateOpenApi());
console.log(`wrote ${target}`);
