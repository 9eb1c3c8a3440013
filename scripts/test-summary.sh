#!/usr/bin/env bash
# Prints each runner's summary line from the logs `make test` kept, then one total line.
set -euo pipefail
logs="$1"

strip() { sed -e 's/\x1b\[[0-9;]*m//g' "$1"; }

nextest=$(strip "$logs/nextest.log" | grep -E '^\s*Summary \[' | tail -1)
svelte=$(strip "$logs/svelte-check.log" | grep -E 'svelte-check found' | tail -1)
vitest=$(strip "$logs/vitest.log" | grep -E '^\s*Tests\s' | tail -1)
e2e_pass=$(strip "$logs/e2e.log" | grep -E '^# pass ' | awk '{print $3}' | tail -1)
e2e_fail=$(strip "$logs/e2e.log" | grep -E '^# fail ' | awk '{print $3}' | tail -1)
# A file run again after WebKitWebDriver died (scripts/e2e.sh): its tests count once, as they ended.
e2e_rerun=""
if [ -f "$logs/e2e-rerun.log" ]; then
  again_pass=$(strip "$logs/e2e-rerun.log" | grep -E '^# pass ' | awk '{print $3}' | tail -1)
  again_fail=$(strip "$logs/e2e-rerun.log" | grep -E '^# fail ' | awk '{print $3}' | tail -1)
  e2e_rerun=" ($(head -1 "$logs/e2e-rerun.log" | sed 's/ — running them once more.//'); run again: ${again_pass:-0} passed, ${again_fail:-0} failed)"
  e2e_pass=$(( ${e2e_pass:-0} + ${again_pass:-0} ))
  e2e_fail=$(( ${e2e_fail:-0} - ${again_pass:-0} ))
fi

rust_pass=$(echo "$nextest" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
rust_fail=$(echo "$nextest" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
vitest_pass=$(echo "$vitest" | grep -oE '[0-9]+ passed' | head -1 | grep -oE '[0-9]+' || echo 0)
vitest_fail=$(echo "$vitest" | grep -oE '[0-9]+ failed' | head -1 | grep -oE '[0-9]+' || echo 0)

echo
echo "── make test summary ──"
echo "cargo fmt:     clean"
echo "cargo clippy:  no warnings"
echo "nextest:      $nextest"
echo "svelte-check:  $svelte"
echo "vitest:       $vitest"
echo "e2e (node):    ${e2e_pass:-0} passed, ${e2e_fail:-0} failed$e2e_rerun"
echo "all: $((rust_pass + vitest_pass + ${e2e_pass:-0})) passed, $((rust_fail + vitest_fail + ${e2e_fail:-0})) failed"
