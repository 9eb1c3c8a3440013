// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit by hand:
// run `RELMAN_UPDATE_BINDINGS=1 cargo test --test ipc bindings` after changing a type.

export type ErrorCode = "not_found" | "invalid_input" | "invalid_transition" | "conflict" | "gate_blocked" | "incompatible_database" | "storage" | "not_a_repository" | "empty_repository" | "unknown_ref" | "git" | "template" | "keyring_unavailable" | "auth_failed" | "offline" | "push_rejected" | "cancelled" | "audit_tampered";

export type IpcError = { code: ErrorCode, message: string, field: string | null, };

export type AppInfo = { version: string, db_path: string | null, 
/**
 * Why the database could not be opened, if it could not.
 */
open_error: IpcError | null, 
/**
 * Who this session records as acting ("Name <email>"), when the database is open.
 */
acting: string | null, };

export type StartTimes = { now: number, 
/**
 * None until the event loop has turned (and in tests, which have none).
 */
window_shown: number | null, };

export type Versioning = "semver" | "calver";

export type Product = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, name: string, description: string, versioning: Versioning, repository: Repository | null, release_count: number, created_at: string, };

export type Repository = { path: string, default_branch: string, 
/**
 * How release tags are named, with `{version}` standing for the version, e.g. `v{version}`.
 */
tag_pattern: string, };

export type ProductInput = { name: string, description: string, versioning: Versioning, repository: Repository | null, };

export type ReleaseStatus = "planned" | "in_progress" | "frozen" | "testing" | "ready" | "deploying" | "released" | "rolled_back" | "cancelled";

export type Release = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, product_id: number, product_name: string, version: string, codename: string, description: string, owner: string, 
/**
 * `YYYY-MM-DD`
 */
target_date: string | null, 
/**
 * `YYYY-MM-DD`, set when it was released.
 */
actual_date: string | null, 
/**
 * The first target date it was given; the timeline shows the plan it slipped from.
 */
baseline_target: string | null, 
/**
 * Days the target moved from its first plan; later is positive.
 */
slip_days: number, from_ref: string, to_ref: string, release_branch: string, status: ReleaseStatus, 
/**
 * A hotfix made to repair another release (rework, in the delivery metrics).
 */
rework: boolean, 
/**
 * The statuses it may move to now; the UI offers only these.
 */
next_statuses: Array<ReleaseStatus>, created_at: string, updated_at: string, };

export type ReleaseInput = { product_id: number, version: string, codename: string, description: string, owner: string, target_date: string | null, from_ref: string, to_ref: string, release_branch: string, };

export type ReleaseFilter = { product_id: number | null, status: ReleaseStatus | null, };

export type PageRequest = { limit: number | null, after: string | null, };

export type Page<T> = { items: Array<T>, 
/**
 * Pass as `after` for the rows that follow; None on the last page.
 */
next: string | null, 
/**
 * Every row that matches the filter, on this page and the others.
 */
total: number, };

export type ReleaseDetail = { release: Release, milestones: Array<Milestone>, history: Array<Transition>, 
/**
 * Deploy windows or GA planned inside a freeze window.
 */
conflicts: Array<Conflict>, };

export type Transition = { from: ReleaseStatus, to: ReleaseStatus, actor: string, at: string, note: string, };

export type MilestoneKind = "feature_freeze" | "code_freeze" | "rc" | "go_no_go" | "deploy_window" | "ga" | "review" | "custom";

export type Milestone = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, release_id: number, kind: MilestoneKind, name: string, 
/**
 * `YYYY-MM-DD`; a point milestone has only a start.
 */
planned_start: string, planned_end: string | null, actual_start: string | null, actual_end: string | null, 
/**
 * The start as first planned; the timeline shows it as a ghost when the milestone moved.
 */
baseline_start: string, baseline_end: string | null, 
/**
 * Days the milestone moved from its first plan (its actual start, else its planned start); later is positive.
 */
slip_days: number, };

export type MilestoneInput = { kind: MilestoneKind, name: string, planned_start: string, planned_end: string | null, actual_start: string | null, actual_end: string | null, };

export type Theme = "system" | "light" | "dark";

export type DateFormat = "iso" | "locale";

export type Snapshot = { path: string, 
/**
 * `auto`, `before-upgrade`, `before-import`, `before-restore` or `backup`.
 */
kind: string, 
/**
 * RFC 3339, from the file name.
 */
taken_at: string, bytes: number, };

export type BackupCheck = { path: string, schema: number, releases: number, audit_events: number, audit_head: string | null, };

export type Settings = { 
/**
 * The name recorded on every change: the one set here, else the OS user name.
 */
user_name: string, 
/**
 * The OS user name, shown as the default.
 */
os_user_name: string, 
/**
 * The email on tags Relman creates, with `user_name` as the tagger's name.
 */
email: string, theme: Theme, date_format: DateFormat, };

export type SettingsInput = { 
/**
 * Empty means "use the OS user name".
 */
user_name: string, 
/**
 * Empty until set; tagging asks for it.
 */
email: string, theme: Theme, date_format?: DateFormat, };

export type DemoSummary = { products: number, releases: number, milestones: number, risks: number, };

export type AuditEvent = { id: number, seq: number, at: string, actor: string, entity: string, entity_id: number | null, action: string, 
/**
 * The change as a JSON object, exactly as stored (the hash covers this text).
 */
details: string, 
/**
 * The product and release the event concerns, when it concerns one.
 */
product_id: number | null, release_id: number | null, prev_hash: string, hash: string, };

export type AuditFilter = { entity: string | null, entity_id: number | null, product_id: number | null, release_id: number | null, 
/**
 * Part of the actor's name or email, any case.
 */
actor: string | null, 
/**
 * Events at or after this day (`YYYY-MM-DD`) or moment (RFC 3339, UTC).
 */
since: string | null, 
/**
 * Events before this day or moment.
 */
until: string | null, 
/**
 * Events older than this place in the log: the cursor of the next page.
 */
before_seq: number | null, 
/**
 * At most this many (newest first); None for all.
 */
limit: number | null, };

export type AuditPage = { events: Array<AuditEvent>, next_before_seq: number | null, };

export type ChainReport = { 
/**
 * Events checked.
 */
events: number, 
/**
 * The last event's hash: what to compare with a copy kept elsewhere.
 */
head: string | null, 
/**
 * The first event that does not match, if any.
 */
broken: ChainBreak | null, };

export type ChainBreak = { kind: BreakKind, 
/**
 * The place in the log where the chain breaks.
 */
seq: number, 
/**
 * The row there, when there is one.
 */
id: number | null, 
/**
 * What is wrong and what it means, for the user.
 */
message: string, };

export type BreakKind = "edited" | "missing" | "out_of_order" | "unchained";

export type ExportReport = { events: number, 
/**
 * Events whose own hash was recomputed and matched.
 */
hashes_checked: number, 
/**
 * Pairs of neighbouring events (consecutive places in the log) whose link was checked.
 */
links_checked: number, 
/**
 * Whether the export holds the whole log from its first event, checked as one chain.
 */
whole_log: boolean, broken: ChainBreak | null, };

export type Progress = { checked: number, total: number, };

export type ExportFile = { file_name: string, text: string, 
/**
 * What the file is, in words ("CSV", "Markdown").
 */
kind: string, 
/**
 * Its extension, without the dot.
 */
extension: string, };

export type ExportFormat = "csv" | "md";

export type LogFormat = "md" | "json";

export type FileFormat = "json" | "toml";

export type Person = { name: string, email: string, };

export type Bump = "major" | "minor" | "patch" | "prerelease" | "initial";

export type NextVersion = { version: string, bump: Bump, reason: string, };

export type Format = "md" | "html" | "txt" | "json";

export type NotesDocument = { schema: number, title: string, version: string, date: string | null, range: NotesRange, highlights: string, known_issues: string, upgrade_notes: string, 
/**
 * Only the sections that have entries, in the configured order.
 */
sections: Array<Section>, 
/**
 * Authors and co-authors, once each by email, sorted by name.
 */
contributors: Array<Person>, };

export type NotesRange = { from: string | null, from_sha: string | null, to: string, to_sha: string, 
/**
 * Where `from`'s and `to`'s histories meet when `from` is on another branch (a release branch).
 */
merge_base: string | null, 
/**
 * Commits in the notes' range, including hidden ones, and not the changes that already shipped.
 */
commits: number, 
/**
 * Changes of the range that already shipped on `from`'s side (backports), by the release they
 * shipped in; left out of the sections unless `shipped_shown`.
 */
shipped: Array<ShippedGroup>, shipped_shown: boolean, };

export type ShippedGroup = { release: string, count: number, };

export type Section = { key: string, title: string, entries: Array<Entry>, };

export type Entry = { sha: string, short_sha: string, kind: string | null, scope: string | null, description: string, breaking: boolean, breaking_description: string | null, refs: Array<string>, author: Person, 
/**
 * True when the description is the release manager's rewording.
 */
reworded: boolean, 
/**
 * The release this change already shipped in, for a backport shown in the notes.
 */
shipped_in: string | null, };

export type ManualNotes = { 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); none until something is
 * written by hand.
 */
uid: string | null, highlights: string, known_issues: string, upgrade_notes: string, overrides: Array<EntryOverride>, };

export type EntryOverride = { sha: string, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); set when it is stored.
 */
uid: string, hidden: boolean, 
/**
 * Replaces the entry's description.
 */
text: string | null, 
/**
 * Moves the entry to the section with this key (`feat`, `fix`, `other`…).
 */
section: string | null, };

export type NotesParts = { highlights: string, known_issues: string, upgrade_notes: string, };

export type ReleaseNotes = { document: NotesDocument, suggestion: NextVersion | null, repository: string, manual: ManualNotes, 
/**
 * The entries hidden from the notes, so the view can name them and offer to show them again.
 */
hidden: Array<Entry>, 
/**
 * Release tags (newest first) and local branches, offered when the range is edited.
 */
refs: Array<string>, };

export type RangeInput = { from: string | null, to: string | null, 
/**
 * List the changes that already shipped on `from`'s branch, marked.
 */
show_shipped: boolean, };

export type NotesProgress = { release_id: number, 
/**
 * The id the view gave the walk (None for copy and export).
 */
walk: number | null, walked: number, };

export type SuggestionsProgress = { release_id: number, walked: number, };

export type TaskKey = { "kind": "notes", walk: number, } | { "kind": "push", release_id: number, } | { "kind": "suggestions", release_id: number, } | { "kind": "audit_check" } | { "kind": "sync" };

export type ShareStatus = { 
/**
 * The remote's URL, any password in it left out.
 */
remote: string, name: string, 
/**
 * The products shared, by name.
 */
products: Array<string>, synced_at: string | null, synced_by: string | null, 
/**
 * The commit of the last sync, short.
 */
commit: string | null, 
/**
 * Conflicts waiting for a person.
 */
conflicts: number, 
/**
 * Rows changed here since the last sync, waiting to be sent (what this copy is ahead by).
 */
pending: number, };

export type ShareInput = { 
/**
 * A git URL: `https://…`, `ssh://…`, `git@host:path`, `file://…` or a path.
 */
remote: string, 
/**
 * The plan's name on the remote (several plans can share one repository); `main` if none.
 */
name: string | null, 
/**
 * The products to share, by name; none means every product.
 */
products: Array<string>, };

export type SyncReport = { remote: string, commit: string, 
/**
 * Rows changed here since the last sync, now on the remote.
 */
sent: number, 
/**
 * What others changed, now here: who changed what, and when.
 */
received: Array<Change>, 
/**
 * Conflicts waiting for a person.
 */
conflicts: Array<SyncConflict>, };

export type Change = { kind: string, uid: string, 
/**
 * `added`, `changed` or `removed`.
 */
change: string, 
/**
 * What the row is called: its title, name, role or version.
 */
label: string, 
/**
 * The fields that changed (for `changed`).
 */
fields: Array<string>, 
/**
 * Who made the change, and when, as the row's author recorded it.
 */
by: string, at: string, 
/**
 * The release (or product) it is about, as people name it: `Atlas Web 2.5.0`.
 */
on: string, };

export type SyncConflict = { 
/**
 * `<kind>.<entity uid>.<field>`: what `relman sync resolve` takes.
 */
id: string, kind: string, entity_uid: string, 
/**
 * What the entity is called (a release's version, a risk's title).
 */
label: string, field: string, base: string | number | boolean | null, candidates: Array<Candidate>, found_by: string, found_at: string, };

export type Candidate = { value: string | number | boolean | null, by: string, at: string, };

export type OriginReport = { origin: string, events: number, 
/**
 * Events that arrived withheld (about products this copy does not share): linked, not readable.
 */
withheld: number, head: string | null, broken: ChainBreak | null, };

export type ChangeType = "standard" | "normal" | "emergency";

export type ChangeState = "draft" | "assess" | "authorize" | "scheduled" | "implement" | "review" | "closed" | "cancelled";

export type ChangeRequest = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7).
 */
uid: string, product_id: number, release_id: number | null, title: string, description: string, justification: string, type: ChangeType, state: ChangeState, 
/**
 * RFC 3339, with the offset it was planned in.
 */
window_start: string | null, window_end: string | null, 
/**
 * Affected services or components, as the team names them.
 */
services: Array<string>, implementation_plan: string, backout_plan: string, test_plan: string, risk: string, impact: string, 
/**
 * Linked commits, ranges or issue keys.
 */
links: Array<string>, 
/**
 * The authors of the commits it ships, as its last draft read them from git.
 */
authors: Array<string>, 
/**
 * Whether its product lets those authors approve it.
 */
authors_may_approve: boolean, 
/**
 * What the window runs into: freeze windows, other changes, deploy windows.
 */
conflicts: Array<ChangeConflict>, requester: string, 
/**
 * Why it was last sent back to draft.
 */
rejection: string, approvals: Array<Approval>, 
/**
 * The roles it needs approved, and those still missing.
 */
roles: Array<string>, missing: Array<string>, 
/**
 * The states it may move to now.
 */
next_states: Array<ChangeState>, created_at: string, updated_at: string, };

export type Approval = { uid: string, role: string, person: string, approved: boolean, comment: string, retrospective: boolean, at: string, };

export type ChangeInput = { product_id: number, release_id: number | null, title: string, description: string, justification: string, type: ChangeType | null, window_start: string | null, window_end: string | null, services: Array<string>, };

export type MoveInput = { to: ChangeState | null, close_code: CloseCode | null, notes: string, };

export type ChangePolicy = { roles: Array<RoleRule>, 
/**
 * Whether the authors of a change's commits may approve it.
 */
authors_may_approve: boolean, 
/**
 * Empty: any time suits; else a change window must fall inside one.
 */
maintenance: Array<MaintenanceWindow>, };

export type RoleRule = { role: string, only_for?: Array<string>, };

export type MaintenanceWindow = { 
/**
 * mon, tue, wed, thu, fri, sat or sun.
 */
day: string, 
/**
 * "HH:MM", local time in `zone`.
 */
start: string, end: string, 
/**
 * An IANA zone such as "Europe/Berlin", or "UTC".
 */
zone: string, };

export type CalendarChange = { id: number, uid: string, product_id: number, title: string, state: ChangeState, type: ChangeType, window_start: string, window_end: string, start_date: string, end_date: string, 
/**
 * What the window runs into, in words.
 */
conflicts: Array<string>, };

export type TimelineIncident = { id: number, title: string, severity: Severity, status: IncidentStatus, 
/**
 * YYYY-MM-DD, in the offset it was recorded in.
 */
detected_date: string, };

export type Drafted = { change: ChangeRequest, kept: Array<Plan>, 
/**
 * Said when git could not be read (no repository linked, a ref that does not resolve): the
 * plans are drafted all the same, without the range's commits.
 */
warnings: Array<string>, };

export type Incident = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7).
 */
uid: string, product_id: number, release_id: number | null, 
/**
 * "Atlas Web 2.5.0", when attributed to a release.
 */
release_name: string | null, deployment_id: number | null, title: string, severity: Severity, status: IncidentStatus, 
/**
 * RFC 3339, with the offset it was given in.
 */
detected_at: string, mitigated_at: string | null, resolved_at: string | null, 
/**
 * Minutes from detection to resolution, once resolved.
 */
minutes_to_restore: number | null, suspected_commits: Array<string>, needed_rollback: boolean, hotfix_release_id: number | null, notes: string, links: Array<string>, reported_by: string, created_at: string, updated_at: string, };

export type IncidentInput = { product_id: number, release_id: number | null, 
/**
 * Without one, the release's last production deployment started before the detection (else its
 * last deployment of any environment).
 */
deployment_id: number | null, title: string, severity: Severity | null, 
/**
 * RFC 3339; now when not given.
 */
detected_at: string | null, suspected_commits: Array<string>, needed_rollback: boolean, notes: string, links: Array<string>, 
/**
 * A risk of the register that occurred as this incident: marked occurred and linked.
 */
risk_id: number | null, };

export type IncidentStatus = "open" | "mitigated" | "resolved";

export type Severity = "sev1" | "sev2" | "sev3" | "sev4";

export type Suspect = { sha: string, short_sha: string, summary: string, author: string, 
/**
 * The later commit that named it the root cause ("a1b2c3d fix(checkout): …"), if one did.
 */
named_by: string | null, 
/**
 * Already listed on the incident.
 */
chosen: boolean, };

export type Metrics = { 
/**
 * The days counted, both included (UTC).
 */
from: string, to: string, report: string, deployment_frequency: Metric, 
/**
 * Four Keys' class of the frequency, when there is one.
 */
frequency_class: FrequencyClass | null, lead_time: Metric, 
/**
 * The 90th percentile of the lead times, in hours.
 */
lead_time_p90: number | null, change_failure_rate: Metric, recovery_time: Metric, rework_rate: Metric, };

export type Metric = { value: number | null, unit: string, band: DeliveryBand | null, 
/**
 * The value in words ("3.5 per week, weekly"), or why there is none.
 */
text: string, 
/**
 * What was left out, and why.
 */
note: string, deployments: Array<number>, commits: Array<string>, incidents: Array<number>, };

export type DeliveryBand = "elite" | "high" | "medium" | "low";

export type FrequencyClass = "daily" | "weekly" | "monthly" | "yearly";

export type Series = { points: Array<SeriesPoint>, };

export type SeriesPoint = { 
/**
 * The last day of the week the point stands for (YYYY-MM-DD).
 */
week_end: string, deployment_frequency: number | null, lead_time: number | null, change_failure_rate: number | null, recovery_time: number | null, rework_rate: number | null, };

export type ReportFormat = "md" | "html";

export type Retrospective = { release_id: number, 
/**
 * "Atlas Web 2.4.0"
 */
release_name: string, facts: RetroFacts, went_well: string, went_badly: string, 
/**
 * Who last wrote it, and when (None until someone does).
 */
updated_by: string | null, updated_at: string | null, actions: Array<RetroAction>, 
/**
 * What users, support and the team said about the release.
 */
feedback: Array<Feedback>, };

export type RetroFacts = { 
/**
 * Where the release ended up (released, rolled back…).
 */
status: ReleaseStatus | null, 
/**
 * The release's first target, its last, and the day it shipped (YYYY-MM-DD).
 */
first_target: string | null, target: string | null, shipped: string | null, 
/**
 * Days it shipped after its first target (negative: before).
 */
shipped_late_days: number | null, 
/**
 * Milestones that moved from their first plan.
 */
slipped: Array<Slip>, 
/**
 * Steps with an expected and an actual duration, most over-run first.
 */
timings: Array<StepTiming>, 
/**
 * Steps skipped, failed or blocked, with their reasons.
 */
troubled: Array<TroubledStep>, 
/**
 * Moves made over failing gates, with the reason given.
 */
overrides: Array<Override>, risks_occurred: Array<string>, incidents: Array<RetroIncident>, };

export type RetroAction = { id: number, uid: string, text: string, owner: string, due_date: string | null, kind: ActionKind, done: boolean, 
/**
 * The risk it became, on the product's next release.
 */
risk_id: number | null, 
/**
 * The template step it became: "Template: phase: title".
 */
template_step: string, };

export type ActionInput = { text: string, owner: string, due_date: string | null, kind: ActionKind, };

export type Promotion = { "to": "risk" } | { "to": "step", template: string, phase: Phase, };

export type Feedback = { id: number, uid: string, 
/**
 * Who said it: a customer, support, a team.
 */
source: string, 
/**
 * Where: support ticket, app store review, Slack…
 */
channel: string, text: string, sentiment: Sentiment, at: string, };

export type FeedbackInput = { source: string, channel: string, text: string, sentiment: Sentiment, };

export type Slip = { name: string, first: string, last: string, days: number, };

export type StepTiming = { title: string, expected_minutes: number, actual_minutes: number, };

export type TroubledStep = { title: string, state: ItemState, reason: string, };

export type Override = { to: ReleaseStatus, reason: string, by: string, at: string, };

export type RetroIncident = { id: number, title: string, severity: Severity, minutes_to_restore: number | null, };

export type ActionKind = "prevent" | "mitigate" | "process";

export type Sentiment = "positive" | "neutral" | "negative";

export type CloseCode = "successful" | "successful_with_issues" | "unsuccessful";

export type Plan = "implementation_plan" | "backout_plan" | "test_plan" | "risk" | "impact";

export type ChangeExportFormat = "md" | "json" | "ics";

export type ChangeConflict = { kind: ConflictKind, message: string, };

export type ConflictKind = "freeze" | "change" | "deploy_window" | "outside_maintenance";

export type Category = "technical" | "schedule" | "security" | "compliance" | "operational" | "people" | "external";

export type RiskStatus = "open" | "mitigating" | "accepted" | "closed" | "occurred";

export type Band = "low" | "medium" | "high";

export type Risk = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, product_id: number, product_name: string, 
/**
 * None: product-wide, bearing on every release of the product.
 */
release_id: number | null, release_version: string | null, title: string, description: string, category: Category, likelihood: number, impact: number, 
/**
 * likelihood × impact, computed by the database.
 */
score: number, band: Band, status: RiskStatus, owner: string, mitigation: string, contingency: string, 
/**
 * What would show the risk is happening.
 */
trigger: string, 
/**
 * `YYYY-MM-DD`
 */
review_date: string | null, 
/**
 * The suggestion rule it was accepted from.
 */
suggestion: SuggestionKind | null, 
/**
 * The incident it became, once it occurred.
 */
incident_id: number | null, created_at: string, updated_at: string, };

export type RiskInput = { product_id: number, release_id: number | null, title: string, description: string, category: Category, likelihood: number, impact: number, status: RiskStatus, owner: string, mitigation: string, contingency: string, trigger: string, review_date: string | null, };

export type RiskPatch = { likelihood: number | null, impact: number | null, status: RiskStatus | null, title: string | null, description: string | null, category: Category | null, owner: string | null, mitigation: string | null, contingency: string | null, trigger: string | null, 
/**
 * A review date (YYYY-MM-DD); an empty one clears it.
 */
review_date: string | null, 
/**
 * Moves the risk: `product_wide`, or `release` (one of its product's).
 */
scope: ReleaseScope | null, };

export type ReleaseScope = { "kind": "any" } | { "kind": "product_wide" } | { "kind": "release", id: number, };

export type RiskFilter = { product_id: number | null, release: ReleaseScope, 
/**
 * Any of these statuses; empty means all.
 */
statuses: Array<RiskStatus>, categories: Array<Category>, 
/**
 * The owner, ignoring case.
 */
owner: string | null, band: Band | null, 
/**
 * Words that must all appear in the title, description, owner, mitigation, contingency or trigger.
 */
text: string | null, 
/**
 * One heat-map cell.
 */
likelihood: number | null, impact: number | null, };

export type RiskSortKey = "score" | "title" | "category" | "likelihood" | "impact" | "status" | "owner" | "review";

export type RiskOrder = { key: RiskSortKey, descending: boolean, };

export type RiskSummary = { 
/**
 * Matching risks in all.
 */
total: number, 
/**
 * Open or mitigating.
 */
live: number, 
/**
 * Live, at or above the product's threshold, and with no mitigation: what a gate refuses.
 */
blocking: number, 
/**
 * Live and past their review date.
 */
overdue: number, 
/**
 * Matching risks per cell: `heat[likelihood - 1][impact - 1]`.
 */
heat: Array<Array<number>>, 
/**
 * Every owner of a risk in the filter's product and release scope, to filter by.
 */
owners: Array<string>, };

export type RiskChange = { at: string, actor: string, 
/**
 * `create`, `update`, `import` or `accept`.
 */
action: string, 
/**
 * What changed, in words: "likelihood 3 → 4", "status open → mitigating".
 */
changes: Array<string>, };

export type RiskSettings = { 
/**
 * A gate with the risk rule fails while a live risk scoring this or more has no mitigation.
 */
threshold: number, rules: SuggestionRules, };

export type SuggestionRules = { 
/**
 * Database migrations, e.g. `migrations/`, `*.sql`.
 */
migration_paths: Array<string>, 
/**
 * Dependency manifests and lock files, e.g. `Cargo.lock`, `package.json`.
 */
dependency_paths: Array<string>, 
/**
 * Infrastructure: `Dockerfile`, `*.tf`, CI configuration.
 */
infrastructure_paths: Array<string>, 
/**
 * A commit touching at least this many files is very large; 0 turns this check off.
 */
large_commit_files: number, 
/**
 * A commit adding and removing at least this many lines in total is very large; 0 turns this
 * check off.
 */
large_commit_lines: number, };

export type SuggestionKind = "migrations" | "dependencies" | "infrastructure" | "large_change" | "reverts" | "after_code_freeze" | "breaking_changes" | "vulnerable_dependencies";

export type EvidenceCommit = { sha: string, short_sha: string, summary: string, };

export type Suggestion = { kind: SuggestionKind, title: string, description: string, category: Category, likelihood: number, impact: number, mitigation: string, 
/**
 * The commits behind it, newest first (at most a handful; `commit_count` has the total).
 */
commits: Array<EvidenceCommit>, commit_count: number, 
/**
 * The paths behind it, sorted (at most a handful; `path_count` has the total).
 */
paths: Array<string>, path_count: number, };

export type ReleaseSuggestions = { release_id: number, 
/**
 * `from..to` as walked, e.g. `v2.4.0..main`.
 */
range: string, commit_count: number, suggestions: Array<Suggestion>, dismissed: Array<Suggestion>, };

export type ColumnMapping = { header: string, 
/**
 * The risk field it fills, or None when it is ignored.
 */
field: string | null, 
/**
 * Why an unmapped column is ignored.
 */
note: string, };

export type ImportAction = "create" | "update";

export type ImportRow = { 
/**
 * The spreadsheet row: the header is row 1.
 */
row: number, action: ImportAction, 
/**
 * The risk an update replaces.
 */
id: number | null, title: string, release: string | null, category: Category, likelihood: number, impact: number, score: number, status: RiskStatus, owner: string, 
/**
 * What an update changes, in words ("status open → mitigating"); empty for an unchanged row.
 */
changes: Array<string>, };

export type RowError = { 
/**
 * The spreadsheet row (the header is row 1); 1 for a problem with the columns.
 */
row: number, column: string, message: string, };

export type ImportPlan = { product_id: number, columns: Array<ColumnMapping>, rows: Array<ImportRow>, 
/**
 * The first problems (at most 200); nothing is imported while there is any.
 */
errors: Array<RowError>, 
/**
 * How many problems there are in all.
 */
error_count: number, 
/**
 * Things worth knowing that do not stop the import, such as an ID that starts a new risk.
 */
notes: Array<RowError>, };

export type ImportSummary = { created: number, updated: number, };

export type ImportPreview = { file_name: string, plan: ImportPlan, };

export type CredentialKey = { host: string, username: string, };

export type CredentialInfo = { host: string, username: string, added_at: string, updated_at: string, 
/**
 * Kept in memory for this session only (no keyring was reachable); gone when Relman quits.
 */
session_only: boolean, };

export type KeyringStatus = { available: boolean, message: string | null, };

export type TagPlan = { 
/**
 * The tag name, from the product's tag pattern (`v2.1.0`).
 */
name: string, target_sha: string, target_short: string, 
/**
 * The first line of the target commit's message, so the person confirming sees what they tag.
 */
target_summary: string, 
/**
 * The message as it will be stored: whitespace cleaned up as `git tag -a` does, ending in a newline.
 */
message: string, tagger: Person, };

export type RemoteInfo = { name: string, url: string, };

export type PushProgress = { current: number, total: number, bytes: number, };

export type ReleaseTag = { release_id: number, name: string, target_sha: string, tag_sha: string, created_at: string, created_by: string, 
/**
 * Where it was pushed; None while it is only in the local clone.
 */
pushed_remote: string | null, pushed_at: string | null, pushed_by: string | null, 
/**
 * Why the last push failed, in words; None after a push that landed.
 */
push_error: string | null, };

export type TagPreview = { release_id: number, plan: TagPlan, remotes: Array<RemoteInfo>, };

export type PushEvent = { release_id: number, current: number, total: number, bytes: number, };

export type TagState = { tag: ReleaseTag | null, remotes: Array<RemoteInfo>, };

export type FreezeWindow = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, name: string, 
/**
 * `YYYY-MM-DD`, both ends included.
 */
start_date: string, end_date: string, reason: string, 
/**
 * The products it applies to; empty means every product.
 */
product_ids: Array<number>, };

export type FreezeWindowInput = { name: string, start_date: string, end_date: string, reason: string, product_ids: Array<number>, };

export type Conflict = { release_id: number, milestone_id: number, milestone_name: string, window_id: number, window_name: string, reason: string, };

export type TimelineFilter = { product_id: number | null, status: ReleaseStatus | null, 
/**
 * Matches version, codename, product, owner and milestone names, ignoring case.
 */
search: string, 
/**
 * Only what touches these days (YYYY-MM-DD, both included): the part of the plan in view.
 * Without `to`, everything from `from` on; without either, everything.
 */
from: string | null, to: string | null, 
/**
 * Which of the rows to return, counted from 0 in the timeline's order (products by name, each
 * one's releases by where their bars start); every group is counted whatever is returned.
 * Without a limit, every row.
 */
row_offset: number | null, row_limit: number | null, };

export type Timeline = { today: string, 
/**
 * The first and last day anything on it touches (today included).
 */
start: string, end: string, 
/**
 * The first day any release of the plan touches, shown or not: how far back there is more.
 */
earliest: string, 
/**
 * How many rows the days hold (each group's are counted, returned or not).
 */
total: number, groups: Array<TimelineGroup>, windows: Array<FreezeWindow>, 
/**
 * Changes still ahead or under way that have a window (not closed or cancelled).
 */
changes: Array<CalendarChange>, };

export type TimelineGroup = { product_id: number, product_name: string, 
/**
 * The position of its first row among all the timeline's rows, and how many it has.
 */
first: number, count: number, 
/**
 * Those of its rows that were asked for.
 */
rows: Array<TimelineRow>, };

export type TimelineRow = { 
/**
 * Its position among all the timeline's rows.
 */
index: number, release: Release, bar_start: string, bar_end: string, 
/**
 * Past its target and not released, rolled back or cancelled.
 */
late: boolean, milestones: Array<Milestone>, conflicts: Array<Conflict>, 
/**
 * What went wrong after it, marked at the day each was detected.
 */
incidents: Array<TimelineIncident>, };

export type Phase = "pre_release" | "deploy" | "post_release" | "rollback";

export type ItemState = "todo" | "in_progress" | "done" | "skipped" | "blocked" | "failed";

export type ChecklistItem = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, release_id: number, phase: Phase, position: number, title: string, details: string, owner: string, required: boolean, expected_minutes: number | null, state: ItemState, 
/**
 * The reason of a skip or block, or the note of a failure or a step.
 */
note: string, started_at: string | null, finished_at: string | null, 
/**
 * Who last changed its state.
 */
actor: string, 
/**
 * The automatic check it carries, if any: what git or Relman's records can prove.
 */
check: EvidenceCheck | null, 
/**
 * What the check saw when last evaluated on this machine.
 */
evidence: Evidence | null, };

export type EvidenceCheck = { "kind": "tag_exists", pushed: boolean, } | { "kind": "no_commits_after_freeze" } | { "kind": "branch_contains", target: string, } | { "kind": "clean_at_to" } | { "kind": "signoffs_and_change" };

export type Evidence = { passed: boolean, 
/**
 * One line: "v2.5.0 exists at 3f2a9c1 and was pushed to origin".
 */
summary: string, 
/**
 * The facts behind it, one per line (the commits after the freeze, the sign-offs found).
 */
seen: Array<string>, 
/**
 * RFC 3339.
 */
at: string, };

export type Decision = "approve" | "reject";

export type Signoff = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, role: string, person: string, decision: Decision, comment: string, at: string, };

export type SignoffInput = { role: string, person: string, decision: Decision, comment: string, };

export type GateResult = { 
/**
 * The gate's id that stays the same in every copy of the plan (a UUID v7).
 */
uid: string, name: string, into: ReleaseStatus, failures: Array<string>, 
/**
 * Every criterion of the gate with its outcome, passing ones too (what a transition records).
 */
criteria: Array<Criterion>, };

export type Criterion = { what: string, passed: boolean, 
/**
 * Why it fails, in words; empty when it passes.
 */
failure: string, };

export type DossierFormat = "json" | "html";

export type GoNoGo = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); set when it is recorded.
 */
uid: string, 
/**
 * `go` or `no_go`
 */
go: boolean, decided_by: string, attendees: string, notes: string, at: string, };

export type ItemInput = { phase: Phase, title: string, details: string, owner: string, required: boolean, expected_minutes: number | null, 
/**
 * An automatic check that marks the item done when it passes.
 */
check?: EvidenceCheck, };

export type Strategy = "rolling" | "blue_green" | "canary" | "recreate" | "manual";

export type Outcome = "succeeded" | "failed" | "rolled_back";

export type Deployment = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, release_id: number, environment: string, strategy: Strategy, started_at: string, finished_at: string | null, outcome: Outcome | null, actor: string, };

export type Action = { id: number, 
/**
 * The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
 */
uid: string, item_id: number, item_title: string, from: ItemState, to: ItemState, note: string, actor: string, at: string, undone: boolean, };

export type ChecklistView = { items: Array<ChecklistItem>, 
/**
 * The process templates that can be applied.
 */
templates: Array<string>, 
/**
 * The gates into ready and into deploying, each criterion's outcome now.
 */
gates: Array<GateResult>, signoffs: Array<Signoff>, decisions: Array<GoNoGo>, deployment: Deployment | null, 
/**
 * The running deployment's actions, oldest first.
 */
actions: Array<Action>, };

export type TemplateSummary = { name: string, description: string, items: number, gates: number, built_in: boolean, };

export type Template = { name: string, description: string, items: Array<TemplateItem>, gates: Array<Gate>, };

export type TemplateItem = { phase: Phase, title: string, details: string, 
/**
 * Who does it, by role (Release manager, QA, Ops…); becomes the item's owner.
 */
owner_role: string, required: boolean, expected_minutes: number | null, 
/**
 * An automatic check that marks the item done when it passes.
 */
check?: EvidenceCheck | null, };

export type Gate = { name: string, into: ReleaseStatus, 
/**
 * Every required item of these phases is done (or skipped with a reason).
 */
phases_done: Array<Phase>, 
/**
 * An approving sign-off from each of these roles.
 */
signoff_roles: Array<string>, 
/**
 * No live risk (open or mitigating) scoring at or above the product's threshold lacks a
 * mitigation.
 */
risks_mitigated: boolean, 
/**
 * A change request for the release is authorized (or scheduled, or being implemented) and the
 * move falls inside its planned window.
 */
change_approved: boolean, 
/**
 * A known-vulnerable dependency the release ships at this severity or above (and not accepted
 * with a reason) blocks the move; none means dependencies are not checked.
 */
vulnerable_at: AdvisorySeverity | null, 
/**
 * A secret the release's diff adds (and nobody marked as a false positive with a reason) blocks
 * the move; a release never scanned for secrets is blocked too.
 */
secrets_clear: boolean, 
/**
 * The release's tag is in the clone, at the commit its range ends at, and signed by a key the
 * repository's allowed-signers file lists (git's `gpg.ssh.allowedSignersFile`), or, signed with
 * gpg, by a key the gpg keyring holds as valid.
 */
tag_signed: boolean, };

export type AdvisorySeverity = "unknown" | "low" | "medium" | "high" | "critical";

export type Ecosystem = "crates.io" | "npm" | "Go" | "PyPI" | "RubyGems";

export type DependencyChange = "introduced" | "kept" | "fixed";

export type DependencyFinding = { ecosystem: Ecosystem, package: string, version: string, lock_file: string, advisory: string, aliases: Array<string>, summary: string, severity: AdvisorySeverity, 
/**
 * Not a vulnerability but a notice (RustSec's `unmaintained`, `unsound`), when it is one.
 */
informational: string | null, 
/**
 * The versions that fix it, oldest first; none known when empty.
 */
fixed_in: Array<string>, url: string | null, change: DependencyChange, };

export type DependencyReport = { release_id: number, repository: string, 
/**
 * The range's ends as given or defaulted, and their commits.
 */
from: string | null, from_sha: string | null, to: string, to_sha: string, 
/**
 * The lock files at `to`, and the registry packages they pin.
 */
lock_files: Array<string>, 
/**
 * Lock files at either end that could not be read (a test fixture, a merge conflict left in),
 * each with why: their packages were not checked.
 */
unreadable: Array<string>, 
/**
 * The lock files at `to` among them: what they pin ships unchecked, so the deploy gate wants each
 * mended and scanned again, or accepted with a reason (as [`unchecked_key`]).
 */
unchecked: Array<string>, dependencies: number, 
/**
 * Advisories loaded, and files of the folder that were not OSV records.
 */
advisories: number, skipped_files: number, 
/**
 * Worst first: severity, then introduced before kept before fixed.
 */
findings: Array<DependencyFinding>, };

export type StoredScan = { id: number, scanned_at: string, scanned_by: string, report: DependencyReport, 
/**
 * The findings accepted for the release, by key, with who accepted each and why.
 */
accepted: Array<Acceptance>, };

export type Acceptance = { finding: string, reason: string, accepted_by: string, accepted_at: string, };

export type AdvisoryFolder = { folder: string, 
/**
 * Advisories for the ecosystems Relman reads (withdrawn ones left out).
 */
advisories: number, 
/**
 * Files that are not OSV records, and the first one's problem.
 */
skipped: number, first_skipped: string | null, 
/**
 * When the clone's checked-out commit was made, when the folder is a git clone: how current the
 * advisories are.
 */
commit_time: string | null, };

export type SecurityView = { dependencies: StoredScan | null, secrets: StoredLeakScan | null, range_end: string | null, 
/**
 * Read when there is a secrets scan to compare; None also when the range reads all of the history.
 */
range_start: string | null, };

export type LeakReport = { release_id: number, from: string | null, from_sha: string | null, to: string, to_sha: string, 
/**
 * Commits whose diff was read (merges are not), and the files their diffs touch that were read.
 */
commits_scanned: number, files_scanned: number, 
/**
 * Files of those diffs left unread: binary, larger than [`LARGEST`], lock files or what gitleaks
 * never reads (images, fonts, installed packages).
 */
files_skipped: number, 
/**
 * The rules run: gitleaks' (those with an expression) and the entropy check.
 */
rules: number, 
/**
 * In the order of the range (oldest commit first), then path and line.
 */
findings: Array<LeakFinding>, };

export type LeakFinding = { 
/**
 * What names it across scans of the release: rule, commit (12 characters), path, line and column.
 */
key: string, 
/**
 * Gitleaks' rule id (`aws-access-token`), or `high-entropy-string` for the entropy check.
 */
rule_id: string, description: string, commit: string, path: string, 
/**
 * The line in the file as the commit left it, from 1.
 */
line: number, 
/**
 * The secret's first and last characters, never the whole of it.
 */
redacted: string, 
/**
 * Its Shannon entropy in bits per character, to two decimals.
 */
entropy: number, };

export type StoredLeakScan = { id: number, scanned_at: string, scanned_by: string, report: LeakReport, 
/**
 * The findings marked as false positives for the release, by key, with who marked each and why.
 */
dismissed: Array<Dismissal>, };

export type Dismissal = { finding: string, reason: string, dismissed_by: string, dismissed_at: string, };

export type ReleaseSignatures = { release_id: number, 
/**
 * The release's tag name, from the product's pattern.
 */
tag: string, 
/**
 * None while the tag is not in the clone.
 */
signature: TagSignature | null, 
/**
 * The release tag the range starts from, when it starts from one.
 */
previous_tag: string | null, previous: TagSignature | null, 
/**
 * The other release tags on the range's commits (release candidates, a re-tag), oldest first.
 */
in_range: Array<TagSignature>, 
/**
 * The allowed-signers file the keys were checked against, if the repository configures one.
 */
allowed_signers: string | null, };

export type TagSignature = { tag: string, state: TagSignatureState, 
/**
 * The signing key's SHA-256 fingerprint as `ssh-keygen -l` prints it (`SHA256:…`), when the
 * signature could be read far enough to name its key.
 */
fingerprint: string | null, 
/**
 * The principals the allowed-signers file lists for the key (`priya@example.com`).
 */
principal: string | null, 
/**
 * `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…
 */
key_type: string | null, 
/**
 * One line for a person: "signed by priya@example.com (SHA256:…)", "unsigned", "bad signature: …".
 */
summary: string, };

export type TagSignatureState = { "kind": "signed", trust: SignerTrust, } | { "kind": "unsigned" } | { "kind": "bad", reason: string, } | { "kind": "unchecked", format: string, };

export type SignerTrust = "allowed" | "not_allowed" | "no_allowed_signers";
