#!/usr/bin/env bash
# Runs a command against a real Secret Service: gnome-keyring, unlocked, in a private D-Bus
# session with a throwaway HOME, so tests never touch anyone's real keychain. Download caches
# (Maven, pip, Go, the stack's) stay where they were under the real HOME.
set -euo pipefail
real_home="$HOME"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$real_home/.cache}"
export STREAMDROP_MAVEN_REPO="${STREAMDROP_MAVEN_REPO:-$real_home/.m2/repository}"
export npm_config_cache="${npm_config_cache:-$real_home/.npm}"
export GOPATH="${GOPATH:-$real_home/go}"
export NPM_CONFIG_USERCONFIG="${NPM_CONFIG_USERCONFIG:-$real_home/.npmrc}"
HOME="$(mktemp -d)"
export HOME
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_RUNTIME_DIR
trap 'rm -rf "$HOME"' EXIT
status=0
dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "$@"' sh "$@" || status=$?
exit "$status"
