#!/usr/bin/env python3
"""Checks that relman and git-cliff agree on every commit of the fixture repositories: the same set of
commits in each range, and for each the same conventional type, scope and breaking flag.

usage: bench/check-against-git-cliff.py [RELMAN]   (needs git-cliff on PATH; CI does not run this)

git-cliff runs with --context, filter_unconventional = false and no commit parsers, so it keeps every
commit and classifies it only by the Conventional Commits grammar. Known, intended differences are
listed in EXPECTED_DIFFERENCES and reported, not failed.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "crates", "relman-core", "tests", "fixtures")
CLIFF_CONFIG = """[changelog]
body = ""
[git]
conventional_commits = true
filter_unconventional = false
split_commits = false
commit_parsers = []
filter_commits = false
"""
# Messages that are not valid UTF-8: git-cliff reads none of the message and calls the commit
# non-conventional; relman reads it lossily and still sees its type.
EXPECTED_DIFFERENCES = {"latin-1 message": "fix: caf"}
RANGES = [("v0.1.0", "v0.2.0"), ("v0.2.0", "v1.0.0"), ("v1.0.0", "HEAD")]


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def cliff(repo, config, start, end):
    context = json.loads(run("git-cliff", "--config", config, "--repository", repo, "--context", f"{start}..{end}"))
    commits = {}
    for release in context:
        for c in release["commits"]:
            kind = c["group"].lower() if c.get("conventional") else None
            commits[c["id"]] = (kind, c.get("scope") if kind else None, bool(c.get("breaking")) if kind else False)
    return commits


def relman(binary, repo, start, end):
    notes = json.loads(run(binary, "notes", "--repo", repo, "--from", start, "--to", end, "--include-merges",
                           "--version", "0.0.0", "--format", "json"))
    return {e["sha"]: (e["kind"], e["scope"] if e["kind"] else None, e["breaking"])
            for s in notes["sections"] for e in s["entries"]}


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "relman")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "cliff.toml")
        with open(config, "w") as f:
            f.write(CLIFF_CONFIG)
        for script in sorted(os.listdir(FIXTURES)):
            repo = os.path.join(tmp, script.removesuffix(".sh"))
            run("bash", os.path.join(FIXTURES, script), repo, env={**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null"})
            for start, end in RANGES:
                theirs, ours = cliff(repo, config, start, end), relman(binary, repo, start, end)
                if set(theirs) != set(ours):
                    failures += 1
                    print(f"FAIL {script} {start}..{end}: commits differ: only git-cliff {set(theirs) - set(ours)}, only relman {set(ours) - set(theirs)}")
                for sha in sorted(set(theirs) & set(ours)):
                    if theirs[sha] == ours[sha]:
                        continue
                    subject = run("git", "-C", repo, "log", "-1", "--format=%s", sha).strip()
                    known = [name for name, prefix in EXPECTED_DIFFERENCES.items() if subject.startswith(prefix)]
                    label = f"expected ({known[0]})" if known else "FAIL"
                    failures += 0 if known else 1
                    print(f"{label} {script} {sha[:7]} {subject!r}: git-cliff {theirs[sha]}, relman {ours[sha]}")
                print(f"{script} {start}..{end}: {len(ours)} commits compared")
    print("agree" if failures == 0 else f"{failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
