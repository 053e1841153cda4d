#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this): installs what it needs, then
# static checks, unit tests, the model regression guard, the command line, and the browser tests.
#
#   bash scripts/test-all.sh                 the suite
#   bash scripts/test-all.sh --under-load    the suite with two CPU hogs running beside it the
#                                            whole time (a busy machine: what the suite must pass)
#   HEIMDALL_UNDER_LOAD=e2e bash scripts/test-all.sh
#                                            the hogs beside the browser tests only
#
# CI (.ci/run) sets HEIMDALL_UNDER_LOAD=e2e: the browser tests are where timing lives (WASM
# start-up, rendering, the worker's queue), and loading only that step keeps CI near its unloaded
# length instead of adding a second pass. The hogs are killed when the script exits, however.
set -uo pipefail
cd "$(dirname "$0")/.."

under_load=${HEIMDALL_UNDER_LOAD:-}
for arg in "$@"; do
  case $arg in
    --under-load) under_load=all ;;
    --under-load=e2e) under_load=e2e ;;
    *) echo "usage: bash scripts/test-all.sh [--under-load | --under-load=e2e]" >&2; exit 2 ;;
  esac
done
case $under_load in '' | all | e2e) ;; *) echo "HEIMDALL_UNDER_LOAD must be all or e2e" >&2; exit 2 ;; esac

hogs=()
start_hogs() {
  # Two busy loops at normal priority, as many as the machine has cores here: other work that
  # competes for the CPU on equal terms.
  for _ in 1 2; do
    yes >/dev/null &
    hogs+=($!)
  done
  echo "(under load: two CPU hogs running, pids ${hogs[*]})"
}
stop_hogs() {
  ((${#hogs[@]})) || return 0
  kill "${hogs[@]}" 2>/dev/null
  wait "${hogs[@]}" 2>/dev/null
  hogs=()
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM

bash scripts/ensure-deps.sh --with-browser || exit 1
mkdir -p reports
status=0
step() {
  local name=$1; shift
  echo; echo "== $name"
  local t0=$SECONDS
  if "$@"; then echo "-- $name: ok ($((SECONDS - t0)) s)"; else echo "-- $name: FAILED ($((SECONDS - t0)) s)"; status=1; fi
}
[[ $under_load == all ]] && start_hogs
t_start=$SECONDS
step "typecheck (every tree: tsc -b)" npm run --silent typecheck
step lint npx eslint .
step "layers (dependency-cruiser)" npm run --silent lint:layers
step format npx prettier --check .
step unit npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
step "model regression guard (300 held-out scenes)" npm run --silent eval -- --scenes 300 --check
step build npm run --silent build
[[ $under_load == e2e ]] && start_hogs
step e2e env PLAYWRIGHT_JSON_OUTPUT_NAME=reports/playwright.json npx playwright test --reporter=list,json
stop_hogs # the bench prints figures: measured without the hogs
step "bench (figures only; a slow figure never fails the suite)" bash -c 'npm run --silent bench -- --no-build || echo "bench did not finish"; true'
node scripts/summarize-tests.mjs
echo "suite: $((SECONDS - t_start)) s${under_load:+ (under load: $under_load)}"
exit $status
