#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this): installs what it needs, then
# static checks, unit tests, the model regression guard, the command line, and the browser tests.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --with-browser || exit 1
mkdir -p reports
status=0
step() {
  local name=$1; shift
  echo; echo "== $name"
  local t0=$SECONDS
  if "$@"; then echo "-- $name: ok ($((SECONDS - t0)) s)"; else echo "-- $name: FAILED ($((SECONDS - t0)) s)"; status=1; fi
}
step typecheck npx tsc --noEmit -p tsconfig.json
step lint npx eslint .
step format npx prettier --check .
step unit npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
step "model regression guard (300 held-out scenes)" npm run --silent eval -- --scenes 300 --check
step build npm run --silent build
step e2e env PLAYWRIGHT_JSON_OUTPUT_NAME=reports/playwright.json npx playwright test --reporter=list,json
step "bench (figures only; a slow figure never fails the suite)" bash -c 'npm run --silent bench -- --no-build || echo "bench did not finish"; true'
node scripts/summarize-tests.mjs
exit $status
