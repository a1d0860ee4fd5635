#!/bin/sh
# Runs "$@" against a Secret Service whose login keyring exists but is locked: the keyring is
# created unlocked, then the daemon restarts without the password. Use inside dbus-run-session.
set -e
export HOME="$(mktemp -d)"
echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
# Stop only this session's daemon: the owner of the Secret Service name on this D-Bus session.
owner_pid() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ {print $2}'
}
tries=0
pid=$(owner_pid)
while [ -z "$pid" ] && [ "$tries" -lt 100 ]; do sleep 0.1; tries=$((tries + 1)); pid=$(owner_pid); done
[ -n "$pid" ] || { echo "gnome-keyring did not take the Secret Service name" >&2; exit 3; }
kill "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1
"$@"
