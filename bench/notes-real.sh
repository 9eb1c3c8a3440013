#!/usr/bin/env bash
# Times `relman notes` and `relman version next` on one commit range of a real repository, next to what
# git itself takes to list that range (git log, and git rev-list with --cherry-pick for ranges whose
# ends are on different branches), and git-cliff when installed, and prints the ratios.
#
#   bench/notes-real.sh REPO FROM TO [TAG_PATTERN]
#       one range of a local clone; TAG_PATTERN is relman's --tag-pattern (default v{version}, e.g.
#       {version} for tags like 20.0.0, or tauri-v{version}); FROM may be "root", the oldest root commit
#       of TO, for the whole history (less that one commit)
#   bench/notes-real.sh
#       the synthetic release-branch repository of `bench/make-repo.py 20000 --release-branches`,
#       built in a temporary folder, and its ~1k, ~10k, whole-history and release-branch ranges
#
# One table row per measurement: the fastest of RUNS runs (default 5), in milliseconds, the least
# disturbed by other work on the machine; git-cliff (its `git-cliff --init` configuration, run inside the
# repository; CLIFF=0 leaves it out) the fastest of 3, or of 1 when a run takes over CLIFF_ONCE_MS
# (default 20000; it takes minutes on 20k commits). A command that fails prints "error" (the run goes
# on). Peak memory of the md run comes from /usr/bin/time when present. The relman binary is
# $CARGO_TARGET_DIR/release/relman (default target/), built first unless NO_BUILD=1.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs="${RUNS:-5}"
target="${CARGO_TARGET_DIR:-$root/target}"
relman="$target/release/relman"

if [ "${NO_BUILD:-0}" != 1 ]; then
  cargo build --quiet --release -p relman-cli --manifest-path "$root/Cargo.toml" \
    || echo "cargo build failed; timing the relman binary already there, if any" >&2
fi
[ -x "$relman" ] || echo "no relman binary at $relman: its rows will read error" >&2

fastest() { # fastest COMMAND...: the best wall time of $runs runs, in ms, or "error" if a run fails
  local best=999999 start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1 || { echo error; return; }
    end=$(date +%s%N)
    best=$(( (end - start) / 1000000 < best ? (end - start) / 1000000 : best ))
  done
  echo "$best"
}

cliff_fastest() { # like fastest, 3 runs, but one run only when it takes over $CLIFF_ONCE_MS (default 20 s)
  local best=999999 start end ms n=0
  for _ in 1 2 3; do
    start=$(date +%s%N)
    cliff "$@" > /dev/null 2>&1 || { echo error; return; }
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 )) n=$((n + 1))
    best=$(( ms < best ? ms : best ))
    [ "$ms" -gt "${CLIFF_ONCE_MS:-20000}" ] && break
  done
  if [ "$n" -lt 3 ]; then echo "$best (1 run)"; else echo "$best"; fi
}

peak_mb() { # peak resident memory of one run, in MB
  local kb
  [ -x /usr/bin/time ] || { echo "?"; return; }
  kb=$(/usr/bin/time -f 'peak %M' "$@" 2>&1 >/dev/null) || { echo error; return; }
  awk '$1 == "peak" { k = $2 } END { if (k == "") print "?"; else printf "%.1f", k / 1024 }' <<< "$kb"
}

ratio() { # ratio A B: A / B as "N.NNx", or "-" when either is not a number
  case "$1$2" in *[!0-9]*|"") echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / (b > 0 ? b : 1) }' ;; esac
}

cliff_config=""
if [ "${CLIFF:-1}" != 0 ] && command -v git-cliff >/dev/null; then
  cliff_config="$(mktemp -d)"
  (cd "$cliff_config" && git-cliff --init >/dev/null 2>&1)
fi
cliff() { # git-cliff with its default configuration, from inside the repository
  (cd "$repo" && git-cliff --config "$cliff_config/cliff.toml" "$@")
}

row() { printf '%-28s %-62s %14s\n' "$@"; }

bench_range() { # bench_range FROM TO PATTERN, on $repo
  local from="$1" to="$2" pattern="$3" label commits cherry gitlog revlist md json nofrom next peak cliff_ms
  if [ "$from" = root ]; then from="$(git -C "$repo" rev-list --max-parents=0 "$to" | tail -1)"; label="root..$2"; else label="$from..$to"; fi
  commits=$(git -C "$repo" rev-list --count "$from..$to" 2>/dev/null || echo error)
  cherry=$(git -C "$repo" rev-list --count --cherry-pick --right-only --no-merges "$from...$to" 2>/dev/null || echo error)
  row "$label" "commits (git rev-list --count A..B)" "$commits"
  row "$label" "commits kept by --cherry-pick --right-only --no-merges A...B" "$cherry"
  gitlog=$(fastest git -C "$repo" log --format='%H%x00%an%x00%at%x00%B' "$from..$to")
  row "$label" "git log --format=... A..B (ms)" "$gitlog"
  revlist=$(fastest git -C "$repo" rev-list --cherry-pick --right-only --no-merges "$from...$to")
  row "$label" "git rev-list --cherry-pick --right-only --no-merges (ms)" "$revlist"
  md=$(fastest "$relman" notes --repo "$repo" --from "$from" --to "$to" --tag-pattern "$pattern")
  row "$label" "relman notes (md) (ms)" "$md"
  json=$(fastest "$relman" notes --repo "$repo" --from "$from" --to "$to" --tag-pattern "$pattern" --format json)
  row "$label" "relman notes --format json (ms)" "$json"
  nofrom=$(fastest "$relman" notes --repo "$repo" --to "$to" --tag-pattern "$pattern")
  row "$label" "relman notes without --from (previous tag) (ms)" "$nofrom"
  next=$(fastest "$relman" version next --repo "$repo" --to "$to" --tag-pattern "$pattern")
  row "$label" "relman version next (ms)" "$next"
  peak=$(peak_mb "$relman" notes --repo "$repo" --from "$from" --to "$to" --tag-pattern "$pattern")
  row "$label" "relman notes (md) peak memory (MB)" "$peak"
  if [ -n "$cliff_config" ]; then
    cliff_ms=$(cliff_fastest "$from..$to")
    row "$label" "git-cliff A..B, default config (ms)" "$cliff_ms"
  fi
  row "$label" "ratio relman md / git log" "$(ratio "$md" "$gitlog")"
  row "$label" "ratio relman md / rev-list --cherry-pick" "$(ratio "$md" "$revlist")"
}

default_pattern='v{version}'
row range measurement result
if [ $# -ge 3 ]; then
  repo="$1"
  bench_range "$2" "$3" "${4:-$default_pattern}"
elif [ $# -eq 0 ]; then
  repo="$(mktemp -d)/release-branches"
  git init -q -b main "$repo"
  python3 "$here/make-repo.py" 20000 --release-branches | git -C "$repo" fast-import --quiet
  git -C "$repo" checkout -q main
  git -C "$repo" gc -q
  # ~1k and ~10k between main tags; the whole history; a major release on its branch (not an ancestor)
  # against the next major, and a patch release on that branch against the same
  for range in "v5.1.0 v5.16.0" "v2.1.0 v7.1.0" "root main" "v4.0.0 v5.0.0" "v4.0.3 v5.0.0"; do
    bench_range ${range} 'v{version}'
  done
else
  echo "usage: $0 [REPO FROM TO [TAG_PATTERN]]" >&2
  exit 2
fi
