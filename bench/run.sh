#!/usr/bin/env bash
# `npm run bench`, or straight from a fresh clone: `bash bench/run.sh`. Installs what is missing
# (Node 24, system packages, npm packages, the stack's jars, gofakes3, the peer's jars), builds the worker,
# and runs every measurement in one go (bench/main.ts); results go to docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node24.sh
echo "Using Node $(node -v)."
scripts/install-system-deps.sh --bench
scripts/npm-deps.sh
npm run -s stack:install
npm run -s build >/dev/null
exec scripts/with-keychain.sh node --import tsx bench/main.ts
