// Typed wrappers over every IPC command, grouped by domain.
import { call } from "./ipc";
import type {
  Acceptance,
  AdvisoryFolder,
  Dismissal,
  ReleaseSignatures,
  SecurityView,
  StoredLeakScan,
  StoredScan,
  AppInfo,
  StartTimes,
  AuditFilter,
  AuditPage,
  ChainReport,
  ExportFormat,
  FileFormat,
  LogFormat,
  ChecklistItem,
  ChecklistView,
  Deployment,
  GoNoGo,
  ItemInput,
  ItemState,
  Outcome,
  Signoff,
  SignoffInput,
  Strategy,
  DemoSummary,
  EntryOverride,
  FreezeWindow,
  FreezeWindowInput,
  ManualNotes,
  NotesParts,
  RangeInput,
  ReleaseNotes,
  Milestone,
  MilestoneInput,
  Product,
  ProductInput,
  Release,
  ReleaseDetail,
  ReleaseFilter,
  ReleaseInput,
  ReleaseStatus,
  Settings,
  SettingsInput,
  Template,
  TemplateSummary,
  ImportPreview,
  ImportSummary,
  ReleaseSuggestions,
  Risk,
  RiskChange,
  RiskFilter,
  RiskInput,
  RiskPatch,
  RiskSettings,
  SuggestionKind,
  CredentialInfo,
  CredentialKey,
  KeyringStatus,
  TagState,
  ReleaseTag,
  TagPreview,
  Timeline,
  TimelineFilter,
  TaskKey,
  ShareInput,
  ShareStatus,
  SyncConflict,
  SyncReport,
  OriginReport,
  ChangeRequest,
  ChangeInput,
  ChangePolicy,
  ChangeExportFormat,
  Drafted,
  MoveInput,
  Plan,
  Incident,
  IncidentInput,
  Suspect,
  IncidentStatus,
  Metrics,
  Series,
  ReportFormat,
  BackupCheck,
  Snapshot,
  DossierFormat,
  Retrospective,
  RetroAction,
  ActionInput,
  Promotion,
  Feedback,
  FeedbackInput,
  Page,
  PageRequest,
  RiskOrder,
  RiskSummary,
} from "./generated/ipc";

/** Background jobs (notes walks, pushes, risk suggestions, the audit check), stopped by key. */
export const tasks = {
  /** Stops the job `key` names; one that already ended is left alone. */
  cancel: (key: TaskKey) => call<null>("cancel_task", { key }),
};

export const app = {
  info: () => call<AppInfo>("app_info"),
  /** Milliseconds since the app started. */
  sinceStart: () => call<StartTimes>("since_start"),
  loadSampleData: () => call<DemoSummary>("load_sample_data"),
};

export const audit = {
  list: (filter: AuditFilter) => call<AuditPage>("list_audit", { filter }),
  status: () => call<ChainReport | null>("audit_status"),
  /** Checks every event, or with `sinceLast` only those written since the last check that held. */
  verify: (sinceLast = false) => call<ChainReport>("verify_audit", { sinceLast }),
  exportTo: (filter: AuditFilter) => call<string | null>("export_audit", { filter }),
  cancelCheck: () => tasks.cancel({ kind: "audit_check" }),
  /** The other copies' chains, as their events arrived by sync, each checked. */
  copies: () => call<OriginReport[]>("audit_copies"),
};

export const products = {
  list: () => call<Product[]>("list_products"),
  create: (input: ProductInput) => call<Product>("create_product", { input }),
  update: (id: number, input: ProductInput) => call<Product>("update_product", { id, input }),
  remove: (id: number) => call<null>("delete_product", { id }),
};

export const releases = {
  /** Every matching release: for pickers scoped to one product. A view of all of them pages instead. */
  list: (filter: ReleaseFilter) => call<Release[]>("list_releases", { filter }),
  /** One page in the Releases view's order; `page.after` is the previous page's `next`. */
  page: (filter: ReleaseFilter, page: PageRequest) => call<Page<Release>>("page_releases", { filter, page }),
  get: (id: number) => call<ReleaseDetail>("get_release", { id }),
  create: (input: ReleaseInput) => call<Release>("create_release", { input }),
  update: (id: number, input: ReleaseInput) => call<Release>("update_release", { id, input }),
  transition: (id: number, to: ReleaseStatus, note = "", overrideReason: string | null = null) =>
    call<Release>("transition_release", { id, to, note, overrideReason }),
  /** A release with deployments is deleted only `withDeployRecords` (they go too); else a conflict says so. */
  remove: (id: number, withDeployRecords = false) => call<null>("delete_release", { id, withDeployRecords }),
};

export const milestones = {
  create: (releaseId: number, input: MilestoneInput) =>
    call<Milestone>("create_milestone", { releaseId, input }),
  update: (id: number, input: MilestoneInput) => call<Milestone>("update_milestone", { id, input }),
  remove: (id: number) => call<null>("delete_milestone", { id }),
};

/** Snapshots of the release database beside it; a restore asks for the file with the OS dialog. */
export const backups = {
  now: () => call<BackupCheck>("back_up_now"),
  list: () => call<Snapshot[]>("list_backups"),
  restore: () => call<BackupCheck | null>("restore_backup"),
  /** Asks for another database file and opens it in place of this one; its path, or null when cancelled. */
  openDatabase: () => call<string | null>("open_database"),
};

/** The OS folder picker (opened from Rust); resolves to the folder, or null when cancelled. */
export const pickFolder = (title: string) => call<string | null>("pick_folder", { title });

export const settings = {
  get: () => call<Settings>("get_settings"),
  update: (input: SettingsInput) => call<Settings>("update_settings", { input }),
};

export const notes = {
  /** `walk` names this walk for its progress events and for `cancel`. */
  get: (id: number, range: RangeInput | null = null, walk: number | null = null) =>
    call<ReleaseNotes>("get_release_notes", { id, range, walk }),
  render: (id: number, format: NotesFormat, range: RangeInput | null = null) =>
    call<string>("render_release_notes", { id, format, range }),
  /** Opens the OS save dialog; resolves to the chosen path, or null when cancelled. */
  exportTo: (id: number, format: NotesFormat, range: RangeInput | null = null) =>
    call<string | null>("export_release_notes", { id, format, range }),
  saveParts: (id: number, parts: NotesParts) => call<ManualNotes>("save_notes_parts", { id, parts }),
  /** The override as the view edits it; its global id is kept or given by the backend. */
  setOverride: (id: number, change: Omit<EntryOverride, "uid">) => call<ManualNotes>("set_notes_override", { id, change }),
  /** Stops the walk `walk` (running, or not started yet); its call then fails with code "cancelled". */
  cancel: (walk: number) => tasks.cancel({ kind: "notes", walk }),
};

export type NotesFormat = "md" | "html" | "txt" | "json";

export const timeline = {
  get: (filter: TimelineFilter) => call<Timeline>("get_timeline", { filter }),
  /** Opens the OS save dialog; resolves to the chosen path, or null when cancelled. */
  exportCalendar: (productId: number | null) => call<string | null>("export_calendar", { productId }),
};

export const freezeWindows = {
  list: () => call<FreezeWindow[]>("list_freeze_windows"),
  create: (input: FreezeWindowInput) => call<FreezeWindow>("create_freeze_window", { input }),
  update: (id: number, input: FreezeWindowInput) => call<FreezeWindow>("update_freeze_window", { id, input }),
  remove: (id: number) => call<null>("delete_freeze_window", { id }),
};

export const checklist = {
  get: (releaseId: number) => call<ChecklistView>("get_checklist", { releaseId }),
  applyTemplate: (releaseId: number, name: string) => call<number>("apply_template", { releaseId, name }),
  setState: (id: number, to: ItemState, note = "") => call<ChecklistItem>("set_item_state", { id, to, note }),
  signOff: (releaseId: number, input: SignoffInput) => call<Signoff>("sign_off", { releaseId, input }),
  add: (releaseId: number, input: ItemInput) => call<ChecklistItem>("add_checklist_item", { releaseId, input }),
  edit: (id: number, input: ItemInput) => call<ChecklistItem>("edit_checklist_item", { id, input }),
  remove: (id: number) => call<null>("delete_checklist_item", { id }),
  reorder: (id: number, by: -1 | 1) => call<ChecklistItem[]>("reorder_checklist_item", { id, by }),
  goNoGo: (releaseId: number, input: GoNoGo) => call<GoNoGo>("record_go_no_go", { releaseId, input }),
  /** Runs the items' checks against git and Relman's records (a pass ticks the item); the checklist after. */
  checkEvidence: (releaseId: number) => call<ChecklistView>("check_evidence", { releaseId }),
};

export const deployments = {
  start: (releaseId: number, environment: string, strategy: Strategy) =>
    call<Deployment>("start_deployment", { releaseId, environment, strategy }),
  act: (deploymentId: number, itemId: number, to: ItemState, note = "") =>
    call<ChecklistItem>("deploy_act", { deploymentId, itemId, to, note }),
  undo: (deploymentId: number) => call<ChecklistItem>("deploy_undo", { deploymentId }),
  finish: (deploymentId: number, outcome: Outcome) => call<Deployment>("finish_deployment", { deploymentId, outcome }),
  current: () => call<Deployment | null>("current_deployment"),
  exportLog: (deploymentId: number, format: LogFormat) => call<string | null>("export_deploy_log", { deploymentId, format }),
};

export const templates = {
  list: () => call<TemplateSummary[]>("list_templates"),
  duplicate: (name: string, newName: string) => call<null>("duplicate_template", { name, newName }),
  remove: (name: string) => call<null>("delete_template", { name }),
  /** Opens the OS save dialog; resolves to the chosen path, or null when cancelled. */
  exportTo: (name: string, format: FileFormat) => call<string | null>("export_template", { name, format }),
  /** Opens the OS file dialog; resolves to the imported template's name, or null when cancelled. */
  importFile: () => call<string | null>("import_template"),
  get: (name: string) => call<Template>("get_template", { name }),
  save: (input: Template, previousName: string | null) => call<Template>("save_template", { input, previousName }),
};

export const risks = {
  list: (filter: RiskFilter) => call<Risk[]>("list_risks", { filter }),
  /** One page of the register in the table's order. */
  page: (filter: RiskFilter, order: RiskOrder, page: PageRequest) =>
    call<Page<Risk>>("page_risks", { filter, order, page }),
  /** The heat map and counts for the filter (its cell left out), counted by the backend. */
  summary: (filter: RiskFilter) => call<RiskSummary>("risk_summary", { filter }),
  create: (input: RiskInput) => call<Risk>("create_risk", { input }),
  update: (id: number, input: RiskInput) => call<Risk>("update_risk", { id, input }),
  /** One field changed in place; the rest stay as stored. */
  patch: (id: number, patch: Partial<RiskPatch>) => call<Risk>("patch_risk", { id, patch }),
  remove: (id: number) => call<null>("delete_risk", { id }),
  history: (id: number) => call<RiskChange[]>("risk_history", { id }),
  settings: (productId: number) => call<RiskSettings>("get_risk_settings", { productId }),
  saveSettings: (productId: number, input: RiskSettings) => call<RiskSettings>("save_risk_settings", { productId, input }),
  /** Opens the OS save dialog; resolves to the chosen path, or null when cancelled. */
  exportTo: (filter: RiskFilter, format: ExportFormat) => call<string | null>("export_risks", { filter, format }),
  /** Opens the OS file dialog and previews the import; null when cancelled. Nothing is written yet. */
  pickImport: (productId: number) => call<ImportPreview | null>("pick_risk_import", { productId }),
  confirmImport: () => call<ImportSummary>("confirm_risk_import"),
  cancelImport: () => call<null>("cancel_risk_import"),
  suggestions: (releaseId: number) => call<ReleaseSuggestions>("get_risk_suggestions", { releaseId }),
  /** Stops reading the release's range for suggestions; the read then fails with code "cancelled". */
  cancelSuggestions: (releaseId: number) => tasks.cancel({ kind: "suggestions", release_id: releaseId }),
  accept: (releaseId: number, kind: SuggestionKind, input: RiskInput) =>
    call<Risk>("accept_risk_suggestion", { releaseId, kind, input }),
  dismiss: (releaseId: number, kind: SuggestionKind) => call<null>("dismiss_risk_suggestion", { releaseId, kind }),
  restore: (releaseId: number, kind: SuggestionKind) => call<null>("restore_risk_suggestion", { releaseId, kind }),
};

export const credentials = {
  status: () => call<KeyringStatus>("keyring_status"),
  list: () => call<CredentialInfo[]>("list_credentials"),
  /** The secret goes to the keyring (or memory with `sessionOnly`); it is never sent back. */
  save: (host: string, username: string, secret: string, sessionOnly: boolean) =>
    call<CredentialKey>("save_credential", { host, username, secret, sessionOnly }),
  remove: (host: string, username: string, sessionOnly: boolean) =>
    call<null>("delete_credential", { host, username, sessionOnly }),
  test: (host: string, username: string) => call<string>("test_credential", { host, username }),
};

export const tags = {
  get: (releaseId: number) => call<TagState>("get_release_tag", { releaseId }),
  plan: (releaseId: number, target: string | null = null) => call<TagPreview>("plan_tag", { releaseId, target }),
  /** Creates exactly the tag the last `plan` showed. */
  /** `sign` signs it with the SSH key set in Settings (or git's, or the agent's); `passphrase` opens a protected key and is never kept. */
  create: (releaseId: number, targetSha: string, sign = false, passphrase: string | null = null) =>
    call<ReleaseTag>("create_tag", { releaseId, targetSha, sign, passphrase }),
  push: (releaseId: number, remote: string | null) => call<ReleaseTag>("push_tag", { releaseId, remote }),
  cancelPush: (releaseId: number) => tasks.cancel({ kind: "push", release_id: releaseId }),
};

/** Sharing the plan through a git remote: where, a sync, and the conflicts a person resolves. */
export const share = {
  status: () => call<ShareStatus | null>("share_status"),
  init: (input: ShareInput) => call<ShareStatus>("init_share", { input }),
  /** Fetch, merge, push; resolves to what arrived. Fails with code "offline" when the remote is out of reach. */
  sync: () => call<SyncReport>("sync_plan"),
  conflicts: () => call<SyncConflict[]>("list_conflicts"),
  /** Picks candidate `pick` (1 for the first). */
  resolve: (id: string, pick: number) => call<SyncConflict>("resolve_conflict", { id, pick }),
};

/** Change requests: the record, its draft from the release, approvals by role, moves, export. */
export const changes = {
  list: (productId: number | null, releaseId: number | null = null) =>
    call<ChangeRequest[]>("list_changes", { productId, releaseId }),
  get: (id: number) => call<ChangeRequest>("get_change", { id }),
  create: (input: ChangeInput) => call<ChangeRequest>("create_change", { input }),
  update: (id: number, input: ChangeInput) => call<ChangeRequest>("update_change", { id, input }),
  /** Fills the plans from the release; plans edited since the last draft are kept (and named). */
  draft: (id: number) => call<Drafted>("draft_change", { id }),
  writePlan: (id: number, plan: Plan, text: string) => call<ChangeRequest>("write_change_plan", { id, plan, text }),
  submit: (id: number) => call<ChangeRequest>("submit_change", { id }),
  /** Approves, or rejects with a comment, for a role, as the person acting (never the requester). */
  decide: (id: number, role: string, approve: boolean, comment: string) =>
    call<ChangeRequest>("decide_change", { id, role, approve, comment }),
  move: (id: number, input: MoveInput) => call<ChangeRequest>("move_change", { id, input }),
  /** Asks where to save; null when cancelled. */
  exportTo: (id: number, format: ChangeExportFormat) => call<string | null>("export_change", { id, format }),
  policy: (productId: number) => call<ChangePolicy>("get_change_policy", { productId }),
  setPolicy: (productId: number, policy: ChangePolicy) => call<ChangePolicy>("set_change_policy", { productId, policy }),
};

/** After the release: incidents attributed to a release, and the hotfix that repairs one. */
export const incidents = {
  list: (productId: number | null, releaseId: number | null = null) =>
    call<Incident[]>("list_incidents", { productId, releaseId }),
  create: (input: IncidentInput) => call<Incident>("create_incident", { input }),
  /** Mitigated or resolved at `at` (RFC 3339; now when null), or open again. */
  setStatus: (id: number, status: IncidentStatus, at: string | null = null) =>
    call<Incident>("set_incident_status", { id, status, at }),
  /** Opens the hotfix release (the next patch, marked as rework). */
  hotfix: (id: number) => call<[Incident, Release]>("create_hotfix", { id }),
  /** The release's commits to suspect; those a later commit names as root cause come first. */
  suspects: (id: number) => call<Suspect[]>("get_incident_suspects", { id }),
  setSuspects: (id: number, shas: string[]) => call<Incident>("set_incident_suspects", { id, shas }),
};

/** The five delivery metrics over a period (YYYY-MM-DD; the last 90 days when both are null). */
export const metrics = {
  get: (productId: number | null, from: string | null = null, to: string | null = null) =>
    call<Metrics>("get_metrics", { productId, from, to }),
  /** Week by week: each point the four weeks ending that week. */
  series: (productId: number | null, from: string | null = null, to: string | null = null) =>
    call<Series>("get_metrics_series", { productId, from, to }),
};

/** A release's retrospective: prefilled facts, the team's words, action items and feedback. */
export const retro = {
  get: (releaseId: number) => call<Retrospective>("get_retro", { releaseId }),
  write: (releaseId: number, wentWell: string, wentBadly: string) =>
    call<Retrospective>("write_retro", { releaseId, wentWell, wentBadly }),
  addAction: (releaseId: number, input: ActionInput) => call<RetroAction>("add_retro_action", { releaseId, input }),
  setDone: (id: number, done: boolean) => call<RetroAction>("set_retro_action_done", { id, done }),
  /** A risk on the product's next release, or a step of a saved template; linked back. */
  promote: (id: number, to: Promotion) => call<RetroAction>("promote_retro_action", { id, to }),
  addFeedback: (releaseId: number, input: FeedbackInput) => call<Feedback>("add_feedback", { releaseId, input }),
  /** Asks where to save the Markdown; null when cancelled. */
  exportTo: (releaseId: number) => call<string | null>("export_retro", { releaseId }),
};

/** Reports for stakeholders, written in plain language. */
export const reports = {
  status: (productId: number | null, format: ReportFormat) => call<string>("get_status_report", { productId, format }),
  /** A release's dossier, HTML to read and print or JSON to verify; asks where to save; null when cancelled. */
  exportDossier: (releaseId: number, format: DossierFormat) => call<string | null>("export_dossier", { releaseId, format }),
};

/** A release's security checks: its latest dependency and secrets scans, new ones, a finding accepted
 * or marked with a reason, its tag signatures and SBOM; and the advisory folder and signing key. */
export const security = {
  view: (releaseId: number) => call<SecurityView>("get_security", { releaseId }),
  scan: (releaseId: number) => call<StoredScan>("scan_dependencies", { releaseId }),
  scanSecrets: (releaseId: number) => call<StoredLeakScan>("scan_secrets", { releaseId }),
  accept: (releaseId: number, finding: string, reason: string) =>
    call<Acceptance>("accept_security_finding", { releaseId, finding, reason }),
  dismissSecret: (releaseId: number, finding: string, reason: string) =>
    call<Dismissal>("dismiss_secret_finding", { releaseId, finding, reason }),
  signatures: (releaseId: number) => call<ReleaseSignatures>("get_tag_signatures", { releaseId }),
  /** Asks where to save; null when cancelled. */
  exportSbom: (releaseId: number) => call<string | null>("export_sbom", { releaseId }),
  folder: () => call<AdvisoryFolder | null>("get_advisory_folder"),
  /** null clears it. */
  setFolder: (folder: string | null) => call<AdvisoryFolder | null>("set_advisory_folder", { folder }),
  update: () => call<AdvisoryFolder>("update_advisories"),
  signingKey: () => call<string | null>("get_signing_key"),
  /** null clears it. */
  setSigningKey: (key: string | null) => call<string | null>("set_signing_key", { key }),
};
