#!/usr/bin/env bash
# Installs what heimdall-web needs on a fresh Debian machine: Debian's Chromium (for the browser
# tests only, with --with-browser) and the npm dependencies. Never downloads a browser or a model.
set -euo pipefail
cd "$(dirname "$0")/.."
# onnxruntime-node ships its CPU binaries in the npm tarball; its postinstall would try to fetch
# CUDA files, which cannot work offline (shared/ENVIRONMENT.md).
export ONNXRUNTIME_NODE_INSTALL=skip

if [[ "${1:-}" == "--with-browser" ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium (apt)"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null
fi

stamp=node_modules/.heimdall-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
  echo "== installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
