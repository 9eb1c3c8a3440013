// A release's dependency scan in words: how bad each finding is (a word, never colour alone), what the
// release does to it, what fixes it, and which findings still stand in the deploy gate's way.
import type { AdvisorySeverity, DependencyChange, DependencyFinding, SecurityView, StoredLeakScan, StoredScan, TagSignature } from "../generated/ipc";

export const SEVERITY_LABEL: Record<AdvisorySeverity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  unknown: "Unrated",
};

/** "High", or the notice it is ("Unmaintained") when it is not a vulnerability. */
export function severityText(f: DependencyFinding): string {
  if (f.informational && f.severity === "unknown") return f.informational.charAt(0).toUpperCase() + f.informational.slice(1);
  return SEVERITY_LABEL[f.severity];
}

export const CHANGE_LABEL: Record<DependencyChange, string> = {
  introduced: "Introduced by this release",
  kept: "Already shipped, still here",
  fixed: "Fixed by this release",
};

/** How a finding is named across scans and in an acceptance, as the backend's `DependencyFinding::key`. */
export function findingKey(f: DependencyFinding): string {
  return `${f.advisory}:${f.ecosystem}:${f.package}@${f.version}`;
}

/** "Fixed in 0.3.2 or 1.0.1", or that no fix is known. */
export function fixedText(f: DependencyFinding): string {
  if (f.fixed_in.length === 0) return "No fixed version known";
  return `Fixed in ${f.fixed_in.join(" or ")}`;
}

/** The findings the release ships (introduced or kept) that nobody accepted: what a gate can block on. */
export function standing(scan: StoredScan): DependencyFinding[] {
  const accepted = new Set(scan.accepted.map((a) => a.finding));
  return scan.report.findings.filter((f) => f.change !== "fixed" && !accepted.has(findingKey(f)));
}

/** How an accepted lock file that could not be read is named among the acceptances (as the backend names it). */
export function uncheckedKey(path: string): string {
  return `unreadable:${path}`;
}

/** The lock files at the scanned commit that could not be read and nobody accepted: the gate counts them. */
export function uncheckedStanding(scan: StoredScan): string[] {
  const accepted = new Set(scan.accepted.map((a) => a.finding));
  return (scan.report.unchecked ?? []).filter((path) => !accepted.has(uncheckedKey(path)));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** "14 packages in Cargo.lock and web/package-lock.json, checked against 1,206 advisories". */
export function coverageText(scan: StoredScan): string {
  const r = scan.report;
  const files = r.lock_files.length === 0 ? "no lock file" : r.lock_files.length <= 2 ? r.lock_files.join(" and ") : plural(r.lock_files.length, "lock file");
  return `${plural(r.dependencies, "package")} in ${files}, checked against ${plural(r.advisories, "advisory", "advisories")}`;
}

/** "2 to look at", "1 accepted", "Nothing known-vulnerable": the heading's one-line verdict. */
export function verdictText(scan: StoredScan): string {
  const unread = uncheckedStanding(scan).length;
  const open = standing(scan).length + unread;
  const accepted = scan.report.findings.filter((f) => f.change !== "fixed").length + (scan.report.unchecked ?? []).length - open;
  if (open === 0 && accepted === 0) return "Nothing known-vulnerable";
  const parts = [];
  // The lock files not read are among those to look at: said beside their count, not added to it.
  if (open) parts.push(`${open} to look at${unread ? ` (${plural(unread, "lock file")} not read)` : ""}`);
  if (accepted) parts.push(`${accepted} accepted`);
  return parts.join(", ");
}

/** Whether commits landed on the release's range after a scan of `toSha` (its gate then wants a new one). */
export function isStale(view: SecurityView, toSha: string): boolean {
  return view.range_end !== null && view.range_end !== toSha;
}

/** Whether the range starts elsewhere than where a secrets scan from `fromSha` started: an earlier start brings commits it never read. */
export function startMoved(view: SecurityView, fromSha: string | null): boolean {
  return view.range_end !== null && (view.range_start ?? null) !== fromSha;
}

/** The secrets findings nobody marked as a false positive. */
export function unmarked(scan: StoredLeakScan) {
  const marked = new Set(scan.dismissed.map((d) => d.finding));
  return scan.report.findings.filter((f) => !marked.has(f.key));
}

/** "1 secret to look at", "1 marked as a false positive", "No secret in 12 commits". */
export function secretsVerdict(scan: StoredLeakScan): string {
  const open = unmarked(scan).length;
  const marked = scan.report.findings.length - open;
  if (open === 0 && marked === 0) return `No secret in ${plural(scan.report.commits_scanned, "commit")}`;
  const parts = [];
  if (open) parts.push(`${plural(open, "secret")} to look at`);
  if (marked) parts.push(`${marked} marked as a false positive`);
  return parts.join(", ");
}

/** A tag's signature in a line: "Signed by priya@example.com (SHA256:…)", with whether the team trusts the key. */
export function signatureText(s: TagSignature): string {
  return s.summary.charAt(0).toUpperCase() + s.summary.slice(1);
}

/** What a signature was checked against: gpg's keyring for an OpenPGP one, else the allowed signers. */
export function checkedAgainst(s: TagSignature, allowedSigners: string | null): string {
  if (s.key_type === "openpgp") return "Checked with gpg: a key your keyring holds as valid (yours, or one you certified) is trusted";
  return allowedSigners ? `Allowed signers: ${allowedSigners}` : "No allowed-signers file (git's gpg.ssh.allowedSignersFile) in this clone";
}

/** Whether a signature is one to be calm about: signed, by a key the allowed signers (or gpg) trust. */
export function trusted(s: TagSignature): boolean {
  return s.state.kind === "signed" && s.state.trust === "allowed";
}
