#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (tests/web, driven by playwright-core): installs
# the `chromium` package with apt-get when /usr/bin/chromium is missing (CI runs as root). Idempotent; prints one line.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "chromium: present ($("$CHROMIUM" --version 2>/dev/null | head -n1 || echo "$CHROMIUM"))"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "chromium: missing, and installing it needs root (apt-get install chromium)" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: missing, and this system has no apt-get: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
log=$(mktemp)
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 &&
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >>"$log" 2>&1 &&
  [ -x "$CHROMIUM" ]; then
  rm -f "$log"
  echo "chromium: installed ($("$CHROMIUM" --version 2>/dev/null | head -n1 || echo "$CHROMIUM"))"
else
  echo "chromium: apt-get install chromium failed (see below)" >&2
  tail -n 20 "$log" >&2
  rm -f "$log"
  exit 1
fi
