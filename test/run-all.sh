#!/usr/bin/env bash
# `npm test`, also on a fresh Debian machine: installs what the tests need and is missing (Node 24,
# system packages, npm packages, the stack's jars and servers; each skipped when present), builds the
# app and the CLI, then runs every test project (unit, checks, integration against the local
# stack, e2e in Chromium) inside a fresh keychain session. The last line is
# `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."
fail() { echo "$*"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
. scripts/node24.sh || fail "Node 24 could not be fetched (see above), so no test ran."
echo "Using Node $(node -v) and npm $(npm -v)."
scripts/install-system-deps.sh --tests || fail "The system packages the tests need could not be installed (see above), so no test ran."
scripts/npm-deps.sh || fail "npm ci failed, so no test ran."
npm run -s stack:install || fail "The local stack (Kafka's jars, moto, fake-gcs-server) could not be installed, so no test ran."
if ! build_output=$(npm run -s build 2>&1); then
  echo "$build_output"
  fail "The build failed, so no test ran."
fi
scripts/with-keychain.sh npx vitest run "$@"
