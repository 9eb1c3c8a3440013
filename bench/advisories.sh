#!/usr/bin/env bash
# Times `relman security scan` on a real repository against a real advisory database: RustSec's OSV
# export (the `osv` branch of a clone of github.com/rustsec/advisory-db), or any folder of OSV records
# (Go's: `data/osv` of github.com/golang/vulndb), and the range FROM..TO of REPO.
#   bench/advisories.sh ADVISORY_DB_CLONE_OR_FOLDER REPO FROM [TO] [RUNS]
# Uses target/release/relman (build it with `cargo build --release -p relman-cli`, or set RELMAN).
# Prints the findings once and the wall time of each run; nothing is asserted.
set -euo pipefail
clone="$1" repo="$2" from="$3" to="${4:-HEAD}" runs="${5:-5}"
relman="${RELMAN:-${CARGO_TARGET_DIR:-target}/release/relman}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/osv"
gitdir="$clone"
[ -d "$clone/.git" ] && gitdir="$clone/.git"
if git --git-dir="$gitdir" rev-parse --verify -q osv >/dev/null 2>&1; then
  git --git-dir="$gitdir" archive osv | tar -x -C "$work/osv"
else
  cp -r "$clone/." "$work/osv"
fi
db="$work/bench.db"
"$relman" --db "$db" product add Bench --repo "$repo" >/dev/null
"$relman" --db "$db" release create --product Bench --version 0.0.0-bench >/dev/null
sqlite3 "$db" "UPDATE release SET from_ref = '$from', to_ref = '$to'"
"$relman" --db "$db" advisories use "$work/osv"
"$relman" --db "$db" security scan --product Bench --release 0.0.0-bench | head -3 || true
"$relman" --db "$db" security scan --product Bench --release 0.0.0-bench --json |
  python3 -c 'import json,sys; r=json.load(sys.stdin); r=r.get("dependencies", r); print(len(r["findings"]), "findings:", {c: sum(1 for f in r["findings"] if f["change"]==c) for c in ("introduced","kept","fixed")})'
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$relman" --db "$db" security scan --product Bench --release 0.0.0-bench >/dev/null
  echo "$(( ($(date +%s%N) - start) / 1000000 )) ms"
done
