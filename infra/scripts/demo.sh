#!/usr/bin/env bash
# `npm start`: set up a fresh clone and run the whole system with demo data (see packages/dev-server/src/demo.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash infra/scripts/bootstrap.sh
exec pnpm --filter @lumi/dev-server demo
