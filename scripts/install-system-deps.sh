#!/usr/bin/env bash
# Installs, on Debian or Ubuntu, the system packages Streamdrop's local stack, demo and tests
# need, skipping what is there already: Java and Maven (Kafka), openssl (its TLS listener),
# Python's venv (moto), a compiler and libsecret (keytar), gnome-keyring and D-Bus (a keychain),
# Go (the Cloud Storage emulator), with --tests also Chromium and kcat (librdkafka, a producer
# other than our own), and with --bench Chromium (the chart) and kcat.
# Needs root (or sudo).
set -euo pipefail
packages=()
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || packages+=("$1"); }
for pkg in libsecret-1-dev gnome-keyring dbus dbus-bin build-essential openssl; do need_pkg "$pkg"; done
case "${1:-}" in
  --tests) need_pkg chromium; need_pkg kcat ;;
  --bench) need_pkg chromium; need_pkg kcat ;;
esac
# Go builds the test servers (fake-gcs-server; gofakes3 for the bench).
command -v go >/dev/null || packages+=(golang-go)
command -v java >/dev/null || packages+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || packages+=(maven)
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3 python3-venv)
((${#packages[@]})) || exit 0
if ! command -v apt-get >/dev/null; then
  echo "Missing system packages (${packages[*]}) and no apt-get to install them: install their equivalents yourself." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "Installing system packages: ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
  tail -30 "$log" >&2
  echo "apt-get could not install ${packages[*]}." >&2
  exit 1
fi
