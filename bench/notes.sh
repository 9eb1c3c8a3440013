#!/usr/bin/env bash
# Times `relman notes` against `git log` (and git-cliff when installed) on the same commit ranges of
# one repository, side by side in one run, and prints the ratios.
#
#   bench/notes.sh [REPO]     REPO defaults to a synthetic 10,001-commit Conventional-Commits repository
#                             built by bench/make-repo.py (tags v0.1.0 and v1.0.0 mark the ~10k and ~1k ranges)
#
# Each command runs RUNS times (default 15); the figure is the fastest run, in milliseconds, which is the
# least disturbed by other work on the machine. Peak memory comes from /usr/bin/time when present.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs="${RUNS:-15}"
target="${CARGO_TARGET_DIR:-$root/target}"

cargo build --quiet --release -p relman-cli --manifest-path "$root/Cargo.toml"
relman="$target/release/relman"

repo="${1:-}"
if [ -z "$repo" ]; then
  repo="$(mktemp -d)/bench-repo"
  mkdir -p "$repo"
  git -C "$repo" init -q -b main
  python3 "$here/make-repo.py" 10001 | git -C "$repo" fast-import --quiet
  git -C "$repo" checkout -q main
  git -C "$repo" gc -q
fi

fastest() { # fastest COMMAND...: the best wall time of $runs runs, in ms
  local best=999999 start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    best=$(( (end - start) / 1000000 < best ? (end - start) / 1000000 : best ))
  done
  echo "$best"
}

peak_kb() { # peak resident memory of one run, in KB
  if [ -x /usr/bin/time ]; then /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; else echo "?"; fi
}

cliff_config=""
if command -v git-cliff >/dev/null; then
  cliff_config="$(mktemp -d)"
  (cd "$cliff_config" && git-cliff --init >/dev/null 2>&1)
fi
cliff() { # git-cliff with its default configuration, from inside the repository
  (cd "$repo" && git-cliff --config "$cliff_config/cliff.toml" "$@")
}

printf '%-10s %8s %10s %12s %12s %10s %10s %12s %16s\n' range commits "git log" "relman md" "relman json" ratio "peak MB" git-cliff "git-cliff ctx"
for from in v1.0.0 v0.1.0; do
  commits=$(git -C "$repo" rev-list --count "$from..HEAD")
  gitlog=$(fastest git -C "$repo" log --format='%H%x00%an%x00%at%x00%B' "$from..HEAD")
  md=$(fastest "$relman" notes --repo "$repo" --from "$from" --version 9.9.9)
  json=$(fastest "$relman" notes --repo "$repo" --from "$from" --version 9.9.9 --format json)
  peak=$(peak_kb "$relman" notes --repo "$repo" --from "$from" --version 9.9.9)
  cliff="-" cliff_context="-"
  if [ -n "$cliff_config" ]; then
    cliff="$(runs=3 fastest cliff "$from..HEAD") ms"
    cliff_context="$(runs=3 fastest cliff --context "$from..HEAD") ms"
  fi
  ratio=$(awk -v a="$md" -v b="$gitlog" 'BEGIN { printf "%.2fx", a / (b > 0 ? b : 1) }')
  printf '%-10s %8s %7s ms %9s ms %9s ms %10s %10s %12s %16s\n' "$from..HEAD" "$commits" "$gitlog" "$md" "$json" "$ratio" \
    "$(awk -v k="$peak" 'BEGIN { if (k == "?") print "?"; else printf "%.1f", k / 1024 }')" "$cliff" "$cliff_context"
done
echo "ratio = relman md / git log (the target is at most 2.00x)"
