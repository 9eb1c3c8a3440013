#!/usr/bin/env python3
"""Times the delivery metrics on ten years of deployments.

    bench/metrics.py [DEPLOYMENTS] [RUNS]

Builds a database with `relman demo --scale large` (20 products, 500 releases), then adds DEPLOYMENTS
(default 5,000) finished production deployments spread over the ten years before today, about one and a
half a day across the products: 12% failed or rolled back, an incident on 8% (resolved two to thirty
hours later), and 5% of the releases marked as hotfixes, through Python's sqlite3. The large sample has
no repositories, so no git is read: this measures the database side (gathering the facts) and the
definitions, which is what grows with the years; the git side is the notes walk measured in
docs/BENCHMARKS.md. Then, the fastest of RUNS (default 5) release-build runs of:

- `relman metrics --product P --json` over the last 90 days, for one product (the Insights default);
- `relman metrics --from <ten years ago> --to <today> --json`, for all products;
- `relman metrics --weekly --from <one year ago> --to <today> --json`: 53 weekly points (the charts);
- the same over ten years: 522 points, the most a custom period in Insights asks for;
- `relman audit log --limit 1`: starting the binary and opening the database, for comparison.

Prints one line per timing; the figures go to docs/BENCHMARKS.md by hand.
"""
import datetime
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
RELMAN = os.path.join(TARGET, "release", "relman")


def relman(db, *args):
    return subprocess.run([RELMAN, "--db", db, *args], check=True, capture_output=True, text=True)


def fastest(runs, db, *args):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        relman(db, *args)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def main():
    deployments = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "relman-cli"], cwd=ROOT, check=True)
    random.seed(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "relman.db")
        relman(db, "demo", "--scale", "large")
        today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        conn = sqlite3.connect(db)
        releases = [(r, p) for r, p in conn.execute("SELECT id, product_id FROM release")]
        conn.executemany("UPDATE release SET rework = 1 WHERE id = ?", [(r,) for r, _ in random.sample(releases, len(releases) // 20)])
        rows, incidents = [], []
        for n in range(deployments):
            release, product = random.choice(releases)
            finished = today - datetime.timedelta(days=random.uniform(0, 3650))
            started = finished - datetime.timedelta(minutes=random.randint(10, 90))
            outcome = random.choices(["succeeded", "failed", "rolled_back"], [88, 7, 5])[0]
            rows.append((release, "production", "canary", started.isoformat(), finished.isoformat(), outcome, "Bench <bench@example.com>"))
        conn.executemany(
            "INSERT INTO deployment (release_id, environment, strategy, started_at, finished_at, outcome, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        for deployment_id, release_id, finished in conn.execute("SELECT d.id, d.release_id, d.finished_at FROM deployment d"):
            if random.random() < 0.08:
                detected = datetime.datetime.fromisoformat(finished) + datetime.timedelta(minutes=random.randint(5, 600))
                resolved = detected + datetime.timedelta(hours=random.uniform(2, 30))
                product = conn.execute("SELECT product_id FROM release WHERE id = ?", (release_id,)).fetchone()[0]
                incidents.append((product, release_id, deployment_id, "Bench incident", "sev3", "resolved", detected.isoformat(),
                                  resolved.isoformat(), resolved.isoformat(), "Bench <bench@example.com>", detected.isoformat(), detected.isoformat()))
        conn.executemany(
            "INSERT INTO incident (product_id, release_id, deployment_id, title, severity, status, detected_at, mitigated_at, resolved_at,"
            " reported_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            incidents,
        )
        conn.commit()
        conn.close()
        product = relman(db, "product", "list", "--json").stdout
        name = __import__("json").loads(product)[0]["name"]
        ten_years = (today - datetime.timedelta(days=3650)).date().isoformat()
        one_year = (today - datetime.timedelta(days=364)).date().isoformat()
        end = today.date().isoformat()
        print(f"{deployments} production deployments, {len(incidents)} incidents, fastest of {runs} runs")
        print(f"metrics, one product, last 90 days: {fastest(runs, db, 'metrics', '--product', name, '--json') * 1000:.0f} ms")
        print(f"metrics, all products, ten years:  {fastest(runs, db, 'metrics', '--from', ten_years, '--to', end, '--json') * 1000:.0f} ms")
        print(f"metrics --weekly, all, one year:   {fastest(runs, db, 'metrics', '--weekly', '--from', one_year, '--to', end, '--json') * 1000:.0f} ms")
        print(f"metrics --weekly, all, ten years:  {fastest(runs, db, 'metrics', '--weekly', '--from', ten_years, '--to', end, '--json') * 1000:.0f} ms")
        print(f"audit log --limit 1 (start, open): {fastest(runs, db, 'audit', 'log', '--limit', '1') * 1000:.0f} ms")


if __name__ == "__main__":
    main()
