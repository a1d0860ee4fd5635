#!/usr/bin/env bash
# The npm packages, installed with the Node on PATH (scripts/node24.sh) unless they already were:
# native modules (keytar) are built for one Node, so a change of Node installs them afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.streamdrop-node
if [ -d node_modules/kafkajs ] && [ "$(cat "$marker" 2>/dev/null)" = "$(node -v)" ]; then exit 0; fi
# The Electron binary cannot be downloaded here and is not needed to build or test (see README).
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
node -v > "$marker"
