#!/usr/bin/env bash
# Times the risk suggestions (relman_core::risk::suggest::suggest) on the same commit ranges as
# bench/notes.sh, beside `git log --numstat`, which does the closest thing git itself does: a diff of
# every commit with its line counts.
#
#   bench/risk-suggest.sh [REPO [FROM...]]
#       REPO defaults to a synthetic 10,001-commit repository built by bench/make-repo.py --risky (tags
#       v0.1.0 and v1.0.0 mark the ~10k and ~1k ranges; migrations, lock files, Dockerfile, large commits
#       along the way); FROM defaults to v1.0.0 and v0.1.0, each timed as FROM..HEAD.
#
# git stops at the first blob it cannot read, and a clone of a snapshot without its largest blobs has
# some: a git run that fails prints "error" and git's message, never the time of its partial output.
# PATHSPEC (e.g. PATHSPEC=':(exclude)*.tar.gz') limits git log to paths whose blobs are all there;
# such files are binary, so they count no lines either way.
#
# `relman risk suggest` needs a stored release, so the timing is done by the relman-core example
# `risk_suggest`, which needs no database: the fastest of RUNS runs (default 15), all rules with the default settings and a code
# freeze, and again without the large-commit rule's line counts (the only part that reads contents).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs="${RUNS:-15}"
target="${CARGO_TARGET_DIR:-$root/target}"

cargo build --quiet --release -p relman-core --example risk_suggest --manifest-path "$root/Cargo.toml"
suggest="$target/release/examples/risk_suggest"

repo="${1:-}"
if [ -z "$repo" ]; then
  repo="$(mktemp -d)/bench-repo"
  mkdir -p "$repo"
  git -C "$repo" init -q -b main
  python3 "$here/make-repo.py" 10001 --risky | git -C "$repo" fast-import --quiet
  git -C "$repo" checkout -q main
  git -C "$repo" gc -q
fi

err="$(mktemp)"
trap 'rm -f "$err"' EXIT
fastest() { # fastest COMMAND...: the best wall time of $runs runs, in ms, or "error" and why
  local best=999999 start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$@" > /dev/null 2> "$err" || { echo "error: $(head -c 200 "$err")"; return; }
    end=$(date +%s%N)
    best=$(( (end - start) / 1000000 < best ? (end - start) / 1000000 : best ))
  done
  echo "$best ms"
}

[ $# -gt 1 ] && froms=("${@:2}") || froms=(v1.0.0 v0.1.0)
for from in "${froms[@]}"; do
  # shellcheck disable=SC2086 # PATHSPEC is one pathspec or none
  numstat=$(fastest git -C "$repo" log --numstat --format=%H "$from..HEAD" -- . ${PATHSPEC:-})
  echo "git log --numstat $from..HEAD ${PATHSPEC:-}: $numstat"
  "$suggest" "$repo" "$from" "$runs"
done
