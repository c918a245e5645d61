import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The module rules of docs/architecture.md, read off the source: modules form layers (no import cycles between
 * them, so the ledger never needs what sits on top of it), and production code never reaches into the test kits
 * or the WeChat simulator.
 */

const SRC = path.dirname(fileURLToPath(import.meta.url));
const MODULES = path.join(SRC, 'modules');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

function importsOf(source: string): string[] {
  const specifiers = source.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g);
  return [...specifiers].map((m) => m[1] as string);
}

function moduleOf(file: string): string | null {
  const relative = path.relative(MODULES, file);
  return relative.startsWith('..') ? null : (relative.split(path.sep)[0] ?? null);
}

/**
 * The specifiers a file needs at run time: `import type` and imports naming only types are erased by the compiler,
 * so they cannot form a cycle that leaves a binding undefined while a module loads.
 */
function runtimeImportsOf(source: string): string[] {
  const statements = source.matchAll(/(?:import|export)\s+(type\s+)?(\{[^}]*\}|[\w*\s,]+)\s+from\s+'([^']+)'/g);
  return [...statements]
    .filter(([, typeOnly, names]) => {
      if (typeOnly) return false;
      const list = (names as string).trim();
      if (!list.startsWith('{')) return true;
      const named = list
        .slice(1, -1)
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      return named.some((n) => !n.startsWith('type '));
    })
    .map((m) => m[3] as string);
}

/** file → the files of its own module it imports at run time (paths relative to src/modules). */
async function fileGraph(): Promise<Map<string, Set<string>>> {
  const graph = new Map<string, Set<string>>();
  for (const file of await sourceFiles(MODULES)) {
    const targets = new Set<string>();
    for (const specifier of runtimeImportsOf(await readFile(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier);
      if (moduleOf(target) === moduleOf(file)) targets.add(path.relative(MODULES, target));
    }
    graph.set(path.relative(MODULES, file), targets);
  }
  return graph;
}

/** module → the other modules its production files import. */
async function moduleGraph(): Promise<Map<string, Set<string>>> {
  const graph = new Map<string, Set<string>>();
  for (const file of await sourceFiles(MODULES)) {
    const from = moduleOf(file) as string;
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const specifier of importsOf(await readFile(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const to = moduleOf(path.resolve(path.dirname(file), specifier));
      if (to && to !== from) targets.add(to);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each written as `a → b → a`. */
function findCycles(graph: Map<string, Set<string>>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('module boundaries', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    const graph = new Map([
      ['ledger', new Set(['tenants', 'catalog'])],
      ['catalog', new Set(['ledger'])],
      ['tenants', new Set<string>()],
    ]);
    expect(findCycles(graph)).toEqual(['catalog → ledger → catalog']);
  });

  it('has no import cycle between modules', async () => {
    const graph = await moduleGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(findCycles(graph)).toEqual([]);
  });

  it('has no run-time import cycle between the files of a module', async () => {
    expect(runtimeImportsOf("import type { A } from './a.ts';\nimport { type B, c } from './c.ts';")).toEqual([
      './c.ts',
    ]);
    expect(runtimeImportsOf("import { type A,\n  type B } from './a.ts';\nexport { d } from './d.ts';")).toEqual([
      './d.ts',
    ]);
    const graph = await fileGraph();
    expect(graph.get('ledger/operations/package-cards.ts')?.size).toBeGreaterThan(0);
    expect(findCycles(graph)).toEqual([]);
  });

  it('keeps the ledger below the catalogue, checkout, credit, payments, the shop and segmentation', async () => {
    const ledger = (await moduleGraph()).get('ledger');
    const above = ['catalog', 'checkout', 'credit', 'payments', 'shop', 'segmentation'];
    expect([...(ledger ?? [])].filter((m) => above.includes(m))).toEqual([]);
  });

  it('never imports the test kits or the simulator from production code', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      if (file.startsWith(path.join(SRC, 'testing') + path.sep)) continue;
      for (const specifier of importsOf(await readFile(file, 'utf8'))) {
        const testKit = specifier.startsWith('.') && path.resolve(path.dirname(file), specifier).includes('/testing/');
        if (testKit || specifier.startsWith('@lumi/wechat-sim'))
          offenders.push(`${path.relative(SRC, file)}: ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
