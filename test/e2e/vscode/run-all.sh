#!/usr/bin/env bash
# The real-VS-Code proofs, end to end:
#   1. scripts/install-code-server.sh   apt packages when missing + code-server 4.100.3 (cached in .cache/)
#   2. npm run package                   production bundles + dist/container-privilege-lint.vsix
#   3. test/grammar/run.mjs              injection-grammar scopes (stub and VS Code's own grammars)
#   4. ui.e2e.mjs                        the .vsix in code-server, driven in Chromium (screenshots)
#   5. run-exthost-tests.mjs             the mocha suite in code-server's extension host (runTests + shim)
# Exits non-zero when any step fails. Temporary files (profiles, XDG dirs) go to one work dir,
# removed at the end unless a step failed or E2E_KEEP=1. Screenshots go to $SHOTS, by default
# into the work dir; SHOTS=docs/screenshots refreshes the ones the README shows.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cpl-vscode-e2e.XXXXXX")
export E2E_TMP=$WORK
export SHOTS=${SHOTS:-$WORK/shots}
# code-server and Chromium write to XDG dirs (and ~ without them).
export XDG_CONFIG_HOME=$WORK/xdg-config XDG_DATA_HOME=$WORK/xdg-data XDG_CACHE_HOME=$WORK/xdg-cache
failures=0
cleanup() {
  if [ "${E2E_KEEP:-}" != 1 ] && [ "$failures" -eq 0 ]; then rm -rf "$WORK"
  else echo "kept $WORK (screenshots, failure-*.png, code-server.log)"; fi
}
trap cleanup EXIT

summary=()
run_step() {
  local name=$1 limit=$2
  shift 2
  echo "=== $name"
  local t0=$SECONDS rc=0
  timeout "$limit" "$@" || rc=$?
  local took=$((SECONDS - t0))
  if [ $rc -eq 0 ]; then summary+=("ok    ${took}s  $name"); else summary+=("FAIL  ${took}s  $name (exit $rc)"); failures=$((failures + 1)); fi
  return $rc
}

run_step "install code-server + apt packages" 900 bash scripts/install-code-server.sh || { printf '%s\n' "${summary[@]}"; exit 1; }
run_step "package the .vsix" 300 node scripts/package.mjs </dev/null || { printf '%s\n' "${summary[@]}"; exit 1; }
run_step "grammar scope tests" 120 node test/grammar/run.mjs || true
run_step "VS Code UI e2e (code-server + Chromium)" 300 node --test-reporter=spec test/e2e/vscode/ui.e2e.mjs || true
run_step "extension-host suite (code-server)" 300 node test/e2e/vscode/run-exthost-tests.mjs --code-server || true

echo "=== summary"
printf '%s\n' "${summary[@]}"
passed=$(( ${#summary[@]} - failures ))
echo "$passed passed, $failures failed"
[ $failures -eq 0 ]
