import { describe, expect, it } from "vitest";
import type { DependencyFinding, LeakFinding, StoredLeakScan, StoredScan, TagSignature } from "../generated/ipc";
import { checkedAgainst, coverageText, uncheckedKey, uncheckedStanding, findingKey, fixedText, isStale, secretsVerdict, startMoved, severityText, standing, unmarked, verdictText } from "./words";

function finding(over: Partial<DependencyFinding> = {}): DependencyFinding {
  return {
    ecosystem: "crates.io",
    package: "orders-pdf",
    version: "0.3.1",
    lock_file: "Cargo.lock",
    advisory: "SAMPLE-2026-0001",
    aliases: [],
    summary: "Crafted PDFs run code",
    severity: "high",
    informational: null,
    fixed_in: ["0.3.2"],
    url: null,
    change: "introduced",
    ...over,
  };
}

function scan(findings: DependencyFinding[], accepted: string[] = [], unchecked: string[] = []): StoredScan {
  return {
    id: 1,
    scanned_at: "2026-12-02T10:00:00Z",
    scanned_by: "Priya Raman <priya@example.com>",
    report: {
      release_id: 7,
      repository: "/repo",
      from: "v2.4.0",
      from_sha: "a".repeat(40),
      to: "HEAD",
      to_sha: "b".repeat(40),
      lock_files: ["Cargo.lock"],
      unreadable: [],
      unchecked,
      dependencies: 1,
      advisories: 1206,
      skipped_files: 0,
      findings,
    },
    accepted: accepted.map((finding) => ({ finding, reason: "r", accepted_by: "Q", accepted_at: "2026-12-02T11:00:00Z" })),
  };
}

describe("a dependency finding in words", () => {
  it("is keyed as the backend keys it", () => {
    expect(findingKey(finding())).toBe("SAMPLE-2026-0001:crates.io:orders-pdf@0.3.1");
  });

  it("names a notice by what it is, and an unrated vulnerability as unrated", () => {
    expect(severityText(finding({ severity: "unknown", informational: "unmaintained" }))).toBe("Unmaintained");
    expect(severityText(finding({ severity: "unknown" }))).toBe("Unrated");
    expect(severityText(finding({ severity: "critical" }))).toBe("Critical");
  });

  it("says what fixes it, or that nothing is known to", () => {
    expect(fixedText(finding({ fixed_in: ["0.3.2", "1.0.1"] }))).toBe("Fixed in 0.3.2 or 1.0.1");
    expect(fixedText(finding({ fixed_in: [] }))).toBe("No fixed version known");
  });
});

describe("a scan's verdict", () => {
  it("counts what the release ships and nobody accepted; a fixed one is not in the way", () => {
    const kept = finding({ package: "atty", version: "0.2.14", change: "kept" });
    const fixed = finding({ package: "old", change: "fixed" });
    const s = scan([finding(), kept, fixed], [findingKey(kept)]);
    expect(standing(s).map((f) => f.package)).toEqual(["orders-pdf"]);
    expect(verdictText(s)).toBe("1 to look at, 1 accepted");
    expect(verdictText(scan([fixed]))).toBe("Nothing known-vulnerable");
  });

  it("counts a lock file that could not be read until someone accepts it", () => {
    const broken = "tests/fixtures/broken/Cargo.lock";
    const unread = scan([], [], [broken]);
    expect(uncheckedStanding(unread)).toEqual([broken]);
    expect(verdictText(unread)).toBe("1 to look at (1 lock file not read)");
    const accepted = scan([], [uncheckedKey(broken)], [broken]);
    expect(uncheckedStanding(accepted)).toEqual([]);
    expect(verdictText(accepted)).toBe("1 accepted");
  });

  it("says what was checked", () => {
    expect(coverageText(scan([]))).toBe("1 package in Cargo.lock, checked against 1,206 advisories");
  });
});

describe("an out-of-date scan", () => {
  it("is one whose range has moved on since; unknown is not out of date", () => {
    const view = (range_end: string | null) => ({ dependencies: null, secrets: null, range_end, range_start: null });
    expect(isStale(view("b".repeat(40)), "b".repeat(40))).toBe(false);
    expect(isStale(view("c".repeat(40)), "b".repeat(40))).toBe(true);
    expect(isStale(view(null), "b".repeat(40))).toBe(false);
  });

  it("for secrets, is also one whose range starts elsewhere now", () => {
    const view = (range_start: string | null, range_end: string | null = "b".repeat(40)) => ({ dependencies: null, secrets: null, range_end, range_start });
    expect(startMoved(view("a".repeat(40)), "a".repeat(40))).toBe(false);
    expect(startMoved(view(null), null)).toBe(false);
    expect(startMoved(view("e".repeat(40)), "a".repeat(40))).toBe(true);
    expect(startMoved(view(null), "a".repeat(40))).toBe(true);
    expect(startMoved(view(null, null), "a".repeat(40))).toBe(false);
  });
});

describe("a secrets scan's verdict", () => {
  const leak = (key: string): LeakFinding => ({ key, rule_id: "aws-access-token", description: "AWS", commit: "a".repeat(40), path: "config.env", line: 3, redacted: "AKIA…4TWY", entropy: 3.9 });
  const leaks = (keys: string[], dismissed: string[]): StoredLeakScan => ({
    id: 1,
    scanned_at: "2026-12-02T10:00:00Z",
    scanned_by: "Q",
    report: { release_id: 7, from: null, from_sha: null, to: "HEAD", to_sha: "b".repeat(40), commits_scanned: 12, files_scanned: 30, files_skipped: 2, rules: 223, findings: keys.map(leak) },
    dismissed: dismissed.map((finding) => ({ finding, reason: "test data", dismissed_by: "Q", dismissed_at: "2026-12-02T11:00:00Z" })),
  });

  it("counts what nobody marked, and says how much was read when nothing was found", () => {
    expect(unmarked(leaks(["a", "b"], ["a"])).map((f) => f.key)).toEqual(["b"]);
    expect(secretsVerdict(leaks(["a", "b"], ["a"]))).toBe("1 secret to look at, 1 marked as a false positive");
    expect(secretsVerdict(leaks([], []))).toBe("No secret in 12 commits");
  });
});

describe("what a tag's signature was checked against", () => {
  const signature = (key_type: string | null): TagSignature => ({
    tag: "v2.5.0",
    state: { kind: "signed", trust: "allowed" },
    fingerprint: null,
    principal: null,
    key_type,
    summary: "signed",
  });
  it("is gpg's keyring for an OpenPGP signature, else the allowed-signers file", () => {
    expect(checkedAgainst(signature("openpgp"), "/repo/.allowed")).toMatch(/^Checked with gpg/);
    expect(checkedAgainst(signature("ssh-ed25519"), "/repo/.allowed")).toBe("Allowed signers: /repo/.allowed");
    expect(checkedAgainst(signature("ssh-ed25519"), null)).toMatch(/^No allowed-signers file/);
  });
});
