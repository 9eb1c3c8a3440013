#!/usr/bin/env python3
"""Writes a git fast-import stream for a synthetic Conventional-Commits history.

usage: make-repo.py COMMITS | git fast-import   (inside an empty repository)

Deterministic: pinned authors and dates, messages cycling through every type, scopes, bodies,
footers, co-authors and breaking changes, tags v0.1.0 after the first commit and v1.0.0 before the
last 1,000, so the ranges v1.0.0..HEAD (~1k) and v0.1.0..HEAD (~10k) can be timed.
"""
import sys

count = int(sys.argv[1])
types = ["feat", "fix", "chore", "docs", "refactor", "perf", "test", "build", "ci", "style"]
scopes = ["api", "ui", "db", "auth", "search", "export", "", "", "cli", "infra"]
people = [("Priya Raman", "priya@example.com"), ("Tom Becker", "tom@example.com"), ("Ana Lima", "ana@example.com"),
          ("Kenji Sato", "kenji@example.com"), ("Olu Ade", "olu@example.com")]
out = sys.stdout.buffer
start = 1700000000
for i in range(1, count + 1):
    kind = types[i % len(types)]
    scope = scopes[(i // 3) % len(scopes)]
    bang = "!" if i % 997 == 0 else ""
    head = f"{kind}({scope}){bang}" if scope else f"{kind}{bang}"
    body = f"\n\nChange number {i} touches module {i % 50}.\nIt keeps the behaviour of #{i // 7} stable."
    if i % 11 == 0:
        body += f"\n\nRefs: PROJ-{i}"
    if i % 13 == 0:
        body += f"\nCo-authored-by: {people[(i + 1) % 5][0]} <{people[(i + 1) % 5][1]}>"
    if i % 1499 == 0:
        body += "\nBREAKING CHANGE: the config file moved"
    if i % 17 == 0:
        message = f"Update module {i % 50} by hand{body}\n"
    else:
        message = f"{head}: change {i} in module {i % 50}{body}\n"
    name, email = people[i % 5]
    when = start + i * 600
    data = message.encode()
    content = f"{i}\n".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"mark :{i}\n".encode())
    out.write(f"author {name} <{email}> {when} +0000\n".encode())
    out.write(f"committer {name} <{email}> {when} +0000\n".encode())
    out.write(f"data {len(data)}\n".encode() + data)
    if i > 1:
        out.write(f"from :{i - 1}\n".encode())
    out.write(f"M 644 inline src/module{i % 50}.txt\ndata {len(content)}\n".encode() + content + b"\n")
    if i == 1:
        out.write(b"reset refs/tags/v0.1.0\nfrom :1\n\n")
    if i == max(1, count - 1000):
        out.write(f"reset refs/tags/v1.0.0\nfrom :{i}\n\n".encode())
