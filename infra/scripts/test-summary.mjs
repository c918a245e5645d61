// Adds up the JSON reports every vitest run wrote into test-results/ and prints one closing line
// ("N passed, N failed") so the whole suite reads as one result. A package with a test script that wrote no
// report (it crashed before its reporter ran, or never ran) counts as a failure, so nothing goes missing quietly.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.argv[2] ?? 'test-results';
const root = join(import.meta.dirname, '..', '..');

/** Every workspace package with a `test` script; its vitest config writes test-results/<folder name>.json. */
function suites() {
  const names = [];
  for (const group of ['apps', 'packages']) {
    for (const name of readdirSync(join(root, group))) {
      const manifest = join(root, group, name, 'package.json');
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) names.push(basename(name));
    }
  }
  return names.sort();
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites()) {
  const file = join(dir, `${suite}.json`);
  if (!existsSync(file)) {
    failed += 1;
    console.log(`${suite}: no report (the suite did not run, or crashed before reporting)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A test file that failed without a failed test (it did not load, or a hook failed) counts as one failure,
  // so a broken file is never hidden behind another file's failed tests.
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  const suiteFailed = (report.numFailedTests ?? 0) + brokenFiles;
  passed += report.numPassedTests ?? 0;
  failed += suiteFailed;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const broken = brokenFiles > 0 ? ` (${brokenFiles} of them test files that failed to run)` : '';
  console.log(`${suite}: ${report.numPassedTests} passed, ${suiteFailed} failed${broken}`);
}
console.log(`Summary: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
