#!/usr/bin/env python3
"""Times the audit chain's checks on a log of ten years' size.

    bench/audit.py [EVENTS] [RUNS]

Builds a database with `relman demo --scale large` (500 releases and their history), then appends
EVENTS (default 1,000,000) chained events shaped like real ones: milestone moves, checklist ticks,
risk edits and status moves spread over ten years, each with its details JSON, and hashed the way
Relman hashes them (docs/audit.md), in batches through Python's sqlite3 (the database's triggers
accept them because each comes with its place in the chain). A first `relman audit verify` proves the
appended chain is one Relman accepts. Then, the fastest of RUNS (default 5) release-build runs of:

- `relman audit verify`: the whole chain (the app's check on open, and Verify now);
- `relman audit verify --since-head H`, H the head before the last 1,000 events: what the Activity
  view's check reads when a thousand changes were made since the last check (the CLI also finds H's
  place by its hash, which the app knows already);
- `relman audit log --limit 1`: starting the binary and opening the database, the floor under both.

Prints one line per timing; the figures go to docs/BENCHMARKS.md by hand.
"""
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
RELMAN = os.path.join(TARGET, "release", "relman")
GENESIS = "0" * 64
PEOPLE = ["Priya Raman <priya@example.com>", "Quinn Okafor <quinn@example.com>", "Ana Lima <ana@example.com>"]


def relman(db, *args, check=True):
    return subprocess.run([RELMAN, "--db", db, *args], check=check, capture_output=True, text=True)


def canonical(e):
    fields = ["relman-audit-1", e["seq"], e["at"], e["actor"], e["entity"], e["entity_id"], e["action"],
              e["details"], e["product_id"], e["release_id"], e["prev_hash"]]
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)


def shaped(n, releases):
    """The n-th appended event: one of the changes a release manager makes all day."""
    product_id, release_id = releases[n % len(releases)]
    day = 3650 * n // max(1, EVENTS)
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_480_000_000 + day * 86_400 + n % 86_400))
    kind = n % 4
    if kind == 0:
        return ("milestone", 1 + n % 3000, "update", {"release_id": release_id, "kind": "code_freeze",
                "name": "Code freeze", "planned_start": "2026-12-10", "planned_end": None}, product_id, release_id, at)
    if kind == 1:
        return ("checklist_item", 1 + n % 9000, "set_state", {"release_id": release_id, "from": "todo",
                "to": "done", "note": "Smoke tests green on staging, 142 passed"}, product_id, release_id, at)
    if kind == 2:
        return ("risk", 1 + n % 2000, "update", {"changes": ["likelihood 3 → 2", "mitigation set"],
                "title": "Payment provider rate limits during the sale"}, product_id, release_id, at)
    return ("release", release_id, "transition", {"from": "testing", "to": "ready", "note": "",
            "gate_override": None}, product_id, release_id, at)


def append(db, count):
    conn = sqlite3.connect(db)
    releases = conn.execute("SELECT product_id, id FROM release ORDER BY id").fetchall()
    seq, prev = conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    batch = []
    for n in range(count):
        entity, entity_id, action, details, product_id, release_id, at = shaped(n, releases)
        seq += 1
        e = {"seq": seq, "at": at, "actor": PEOPLE[n % len(PEOPLE)], "entity": entity, "entity_id": entity_id,
             "action": action, "details": json.dumps(details, separators=(",", ":"), ensure_ascii=False),
             "product_id": product_id, "release_id": release_id, "prev_hash": prev}
        e["hash"] = hashlib.sha256(canonical(e).encode()).hexdigest()
        prev = e["hash"]
        batch.append(e)
        if len(batch) == 50_000 or n == count - 1:
            conn.executemany(
                "INSERT INTO audit_event (seq, at, actor, entity, entity_id, action, details, product_id, release_id,"
                " prev_hash, hash) VALUES (:seq, :at, :actor, :entity, :entity_id, :action, :details, :product_id,"
                " :release_id, :prev_hash, :hash)", batch)
            conn.commit()
            batch = []
    conn.close()


def fastest(runs, *args):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        out = relman(*args)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best, out.stdout.strip()


EVENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5

subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "relman-cli", "--manifest-path",
                os.path.join(ROOT, "Cargo.toml")], check=True)
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "relman.db")
    relman(db, "demo", "--scale", "large")
    append(db, EVENTS - 1000)
    head = json.loads(relman(db, "audit", "verify", "--json").stdout)["head"]
    append(db, 1000)
    total = json.loads(relman(db, "audit", "verify", "--json").stdout)["events"]
    size = os.path.getsize(db) / 1e6
    print(f"{total:,} events, {size:.0f} MB database")
    took, _ = fastest(RUNS, db, "audit", "log", "--limit", "1")
    print(f"audit log --limit 1 (start, open, one query: the floor): {took * 1000:.0f} ms")
    took, said = fastest(RUNS, db, "audit", "verify")
    print(f"audit verify (whole chain): {took * 1000:.0f} ms  [{said[:60]}…]")
    took, said = fastest(RUNS, db, "audit", "verify", "--since-head", head)
    print(f"audit verify --since-head (last 1,000 events): {took * 1000:.0f} ms  [{said[:60]}…]")
