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
echo "== lint"
pnpm exec biome check .
echo "== typecheck"
pnpm exec turbo run typecheck --output-logs=errors-only
echo "== tests"
set +e
PG_TUNING=fast bash infra/scripts/with-postgres.sh pnpm exec turbo run test --concurrency=1 --output-logs=full
status=$?
set -e
node infra/scripts/test-summary.mjs test-results
exit "$status"
