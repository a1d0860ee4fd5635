#!/usr/bin/env bash
# `npm test`: builds the app and the CLI, then runs every test project (unit, checks,
# integration against the local stack, e2e in Chromium) inside a fresh keychain session.
# The last line is `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! build_output=$(npm run -s build 2>&1); then
  echo "$build_output"
  echo "The build failed, so no test ran."
  echo "0 passed, 1 failed"
  exit 1
fi
scripts/with-keychain.sh npx vitest run "$@"
