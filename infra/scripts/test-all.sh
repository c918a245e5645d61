#!/usr/bin/env bash
# The one command that runs every test from a fresh clone: installs what is missing (pnpm, packages, Debian's
# PostgreSQL and Chromium), lints, type-checks, then runs unit, API (real PostgreSQL) and H5 end-to-end
# (headless Chromium) tests against a throwaway PostgreSQL cluster that is removed afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

bash infra/scripts/bootstrap.sh
bash infra/scripts/ensure-system-packages.sh

rm -rf test-results && mkdir -p test-results
# Every step runs and is counted even when an earlier one fails: a lint error or one failing package must not
# hide what the other suites would have said. The exit status is non-zero if any step failed.
set +e
status=0
echo "== lint"
pnpm exec biome check . || status=1
echo "== typecheck"
pnpm exec turbo run typecheck --continue --output-logs=errors-only || status=1
echo "== tests"
# --continue: turbo would otherwise stop at the first failed package and never run the rest.
PG_TUNING=fast bash infra/scripts/with-postgres.sh pnpm exec turbo run test --concurrency=1 --continue --output-logs=full ||
  status=1
node infra/scripts/test-summary.mjs test-results || status=1
set -e
exit "$status"
