#!/usr/bin/env bash
# `npm run demo`, or straight from a fresh clone: `bash scripts/demo.sh`. Installs what is
# missing (system packages, npm packages), builds, and runs the demo in a throwaway keychain.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
[ -d node_modules/kafkajs ] || ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
npm run -s build >/dev/null
exec scripts/with-keychain.sh node --import tsx scripts/demo.ts
