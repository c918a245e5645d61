#!/usr/bin/env bash
# Gets a fresh clone ready: pnpm (from npm; corepack's download cannot be verified here) and the workspace's
# packages exactly as locked.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! command -v pnpm >/dev/null 2>&1; then
  echo "Installing pnpm 10 with npm"
  npm install -g pnpm@10 >/dev/null
fi
pnpm install --frozen-lockfile --reporter=append-only | grep -vE '^(Progress|Packages:)' || true
