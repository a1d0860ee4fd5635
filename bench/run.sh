#!/usr/bin/env bash
# `npm run bench`, or straight from a fresh clone: `bash bench/run.sh`. Installs what is missing
# (system packages, npm packages, the stack's jars, gofakes3, the peer's jars), builds the worker,
# and runs every measurement in one go (bench/main.ts); results go to docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh --bench
[ -d node_modules/kafkajs ] || ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
npm run -s stack:install
npm run -s build >/dev/null
exec scripts/with-keychain.sh node --import tsx bench/main.ts
