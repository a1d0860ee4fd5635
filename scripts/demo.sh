#!/usr/bin/env bash
# `npm run demo`, or straight from a fresh clone: `bash scripts/demo.sh`. Installs what is
# missing (Node 24, system packages, npm packages), builds, and runs the demo in a throwaway keychain.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node24.sh
echo "Using Node $(node -v)."
scripts/install-system-deps.sh
scripts/npm-deps.sh
npm run -s build >/dev/null
exec scripts/with-keychain.sh node --import tsx scripts/demo.ts
