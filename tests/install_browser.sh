#!/usr/bin/env bash
# Installs what the browser tests need, when it is missing; safe to run again.
#   - Debian's Chromium at /usr/bin/chromium (apt package "chromium")
#   - axe-core (npm package, pinned) under .cache/axe/node_modules/axe-core/
# Playwright drives the system Chromium; it never downloads a browser of its own.
set -euo pipefail

AXE_VERSION="4.14.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AXE_DIR="$ROOT/.cache/axe"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install_browser: /usr/bin/chromium is missing and this user cannot install it (not root, no sudo)" >&2
    exit 1
  fi
  echo "install_browser: installing chromium" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] \
   || ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json" 2>/dev/null; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "install_browser: npm is missing and this user cannot install it" >&2; exit 1
    fi
    echo "install_browser: installing npm" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  echo "install_browser: installing axe-core $AXE_VERSION" >&2
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --no-save --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" >/dev/null
fi
