#!/usr/bin/env bash
# Runs the app with its default models and demo data: installs dependencies if needed, builds the
# production bundle if it is missing or stale, and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec npm start -- "$@"
