import { loadConfig } from '../../config/index.ts';
import { openDatabase } from '../../db/open.ts';
import { verifyLedger } from './verify.ts';

/** `pnpm --filter @lumi/api ledger:verify`: checks every ledger invariant, prints a report, exits 1 on any breakage. */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
const report = await verifyLedger(database.db);
await database.close();
console.log(
  `ledger verify: ${report.counts.accounts} accounts, ${report.counts.transfers} transfers, ${report.counts.entries} entries`,
);
for (const problem of report.problems) console.log(`  ✗ [${problem.check}] ${problem.message}`);
console.log(report.ok ? '  ✓ every invariant holds' : `  ${report.problems.length} problem(s) found`);
process.exit(report.ok ? 0 : 1);
