#!/usr/bin/env bash
# `npm start`: set up a fresh clone and run the whole system with demo data (see packages/dev-server/src/demo.ts).
# Ctrl-C (or SIGTERM) is a normal way to end it: the demo stops its processes and this exits 0. package.json
# runs this with `exec`, so no shell sits between npm and this script to die of the Ctrl-C and make npm
# report exit 130.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Written to a file or a pipe: plain lines, no colour codes, no progress bars.
if [ ! -t 1 ]; then export FORCE_COLOR=0; fi

demo=""
stopped() {
  trap '' INT TERM
  if [ -n "$demo" ]; then
    kill -TERM "$demo" 2>/dev/null || true
    wait "$demo" 2>/dev/null || true
  fi
  echo "Lumi stopped."
  exit 0
}
trap stopped INT TERM

bash infra/scripts/bootstrap.sh
# Started in the background so that this shell can run its trap while the demo runs. `node --import tsx`, not
# the tsx CLI: its wrapper process SIGKILLs the demo when the demo is slow to acknowledge a signal, which left the
# demo's children running.
(cd packages/dev-server && exec node --import tsx src/demo.ts) &
demo=$!
wait "$demo"
