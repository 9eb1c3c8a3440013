#!/usr/bin/env bash
# Times the secrets scan of `relman security scan --secrets-only` on the range FROM..TO of a real
# repository REPO: every non-merge commit's added lines run past gitleaks' rules and the entropy check.
#   bench/leaks.sh REPO FROM [TO] [RUNS]
# Uses target/release/relman (build it with `cargo build --release -p relman-cli`, or set RELMAN).
# Prints the report's counts and its findings by rule once, then the wall time of each run; nothing
# is asserted.
set -euo pipefail
repo="$1" from="$2" to="${3:-HEAD}" runs="${4:-5}"
relman="${RELMAN:-${CARGO_TARGET_DIR:-target}/release/relman}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/bench.db"
"$relman" --db "$db" product add Bench --repo "$repo" >/dev/null
"$relman" --db "$db" release create --product Bench --version 0.0.0-bench >/dev/null
sqlite3 "$db" "UPDATE release SET from_ref = '$from', to_ref = '$to'"
"$relman" --db "$db" security scan --product Bench --release 0.0.0-bench --secrets-only --json |
  python3 -c '
import collections, json, sys
r = json.load(sys.stdin)["secrets"]
print(r["commits_scanned"], "commits,", r["files_scanned"], "files read,", r["files_skipped"], "skipped,", len(r["findings"]), "findings")
for rule, n in collections.Counter(f["rule_id"] for f in r["findings"]).most_common():
    print(f"  {n:4} {rule}")
for f in r["findings"][:20]:
    print("   ", f["rule_id"], f["path"] + ":" + str(f["line"]), f["redacted"])'
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$relman" --db "$db" security scan --product Bench --release 0.0.0-bench --secrets-only >/dev/null
  echo "$(( ($(date +%s%N) - start) / 1000000 )) ms"
done
