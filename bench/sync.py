#!/usr/bin/env python3
"""Times a sync of a plan of ten years' size when one thing changed.

    bench/sync.py [FACTOR] [RUNS]

Builds `relman demo --scale large` (20 products, 500 releases, 3,000 milestones), then grows it FACTOR
times (default 20) with Python's sqlite3: releases with their milestones, a 25-step checklist each,
sign-offs and risks, every new row given its global id by the database's own triggers — about ten
years of a busy release office. Shares it through a bare repository over file://, syncs once, and then
times, fastest of RUNS (default 5), release build:

- `relman sync` with nothing changed;
- `relman sync` after one checklist tick (`relman checklist tick`), a fresh tick each run, with the
  objects that sync added to the remote counted.

Prints one line per timing; the figures go to docs/BENCHMARKS.md by hand.
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
RELMAN = os.path.join(TARGET, "release", "relman")
FACTOR = int(sys.argv[1]) if len(sys.argv) > 1 else 20
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
ENV = {**os.environ, "RELMAN_USER": "Ana Lima <ana@example.com>"}


def relman(db, *args):
    return subprocess.run([RELMAN, "--db", db, *args], check=True, capture_output=True, text=True, env=ENV).stdout


def grow(db):
    c = sqlite3.connect(db)
    now = "2026-12-01T10:00:00Z"
    for n in range(FACTOR):
        c.execute("""INSERT INTO release (product_id, version, codename, description, owner, target_date, from_ref, to_ref,
                         release_branch, status, created_at, updated_at, baseline_target)
                     SELECT product_id, version || '-y' || ?1, codename, description, owner, target_date, from_ref, to_ref,
                            release_branch, 'released', created_at, updated_at, baseline_target
                     FROM release WHERE version NOT LIKE '%-y%'""", (n,))
    c.execute("""INSERT INTO milestone (release_id, kind, name, planned_start, planned_end, actual_start, actual_end)
                 SELECT r.id, 'code_freeze', 'Code freeze', r.target_date, NULL, r.target_date, NULL FROM release r
                 WHERE r.version LIKE '%-y%'""")
    for step in range(25):
        c.execute("""INSERT INTO checklist_item (release_id, phase, position, title, owner, required, state, actor, updated_at)
                     SELECT id, 'pre_release', ?1, 'Step ' || ?1, 'QA', 1, 'done', 'Quinn Okafor <quinn@example.com>', ?2
                     FROM release""", (step, now))
    c.execute("""INSERT INTO signoff (release_id, role, person, decision, comment, at)
                 SELECT id, 'QA', 'Quinn Okafor', 'approve', '', ?1 FROM release""", (now,))
    c.execute("""INSERT INTO risk (product_id, release_id, title, category, likelihood, impact, status, created_at, updated_at)
                 SELECT product_id, id, 'Rate limits during the sale', 'external', 3, 4, 'closed', ?1, ?1 FROM release""", (now,))
    c.commit()
    counts = {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ["release", "milestone", "checklist_item", "signoff", "risk"]}
    c.close()
    return counts


def objects(remote):
    out = subprocess.run(["git", "--git-dir", remote, "count-objects", "-v"], check=True, capture_output=True, text=True).stdout
    fields = dict(line.split(": ") for line in out.strip().splitlines())
    return int(fields["count"]) + int(fields["in-pack"])


def timed(*args):
    start = time.perf_counter()
    relman(*args)
    return time.perf_counter() - start


subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "relman-cli", "--manifest-path",
                os.path.join(ROOT, "Cargo.toml")], check=True)
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "relman.db")
    remote = os.path.join(tmp, "office.git")
    subprocess.run(["git", "init", "-q", "--bare", remote], check=True)
    relman(db, "demo", "--scale", "large")
    counts = grow(db)
    rows = sum(counts.values())
    relman(db, "share", "init", "--remote", f"file://{remote}")
    first = timed(db, "sync")
    print(f"{rows:,} shared rows ({', '.join(f'{k} {v:,}' for k, v in counts.items())}); "
          f"database {os.path.getsize(db) / 1e6:.0f} MB; first sync {first:.1f} s, {objects(remote):,} objects")
    idle = min(timed(db, "sync") for _ in range(RUNS))
    print(f"sync, nothing changed: {idle * 1000:.0f} ms")
    c = sqlite3.connect(db)
    todo = [r[0] for r in c.execute("SELECT id FROM checklist_item ORDER BY id LIMIT ?", (RUNS,))]
    c.execute("UPDATE checklist_item SET state = 'todo' WHERE id IN (%s)" % ",".join("?" * len(todo)), todo)
    c.commit()
    c.close()
    relman(db, "sync")
    ticks, added = [], []
    for item in todo:
        relman(db, "checklist", "tick", str(item))
        before = objects(remote)
        ticks.append(timed(db, "sync"))
        added.append(objects(remote) - before)
    print(f"sync after one tick: {min(ticks) * 1000:.0f} ms (fastest of {RUNS}), {max(added)} objects added at most")
