//! What is shared, declared once per entity: its table, the columns that travel, the columns that
//! point at other shared rows (travelling as those rows' uids), and how to tell who changed a row
//! last. Export, import and merge read these declarations and nothing else, so an entity joins
//! sharing by adding one entry here (after the entities it points at: the list is in import order).
//!
//! What never travels is simply not declared: repository paths and tag patterns (per machine),
//! settings, credentials and the keyring index, the range and suggestion caches, the audit log's
//! local chain.

/// One shared entity.
pub struct Kind {
    /// The folder in the shared tree, and the name `relman sync conflicts` shows.
    pub name: &'static str,
    pub table: &'static str,
    /// Plain columns, shared as they are.
    pub fields: &'static [&'static str],
    /// Columns holding another shared row's local id, shared as that row's uid.
    pub links: &'static [Link],
    /// A set of other shared rows, through a join table.
    pub sets: &'static [SetLink],
    /// Timestamps of the last change: merged by taking the later one, never a conflict.
    pub latest: &'static [&'static str],
    /// A SQL condition on the row `t`: whether it belongs to a product this database shares.
    pub scope: &'static str,
    /// Who changed the row last, and when.
    pub meta: Meta,
}

/// A column that points at another shared row.
pub struct Link {
    pub column: &'static str,
    /// The field it travels as.
    pub field: &'static str,
    /// The table of the row it points at.
    pub target: &'static str,
}

/// A set of rows of `target`, through the join table `table` (`own` → this row, `other` → target).
pub struct SetLink {
    pub field: &'static str,
    pub table: &'static str,
    pub own: &'static str,
    pub other: &'static str,
    pub target: &'static str,
}

/// Where a row's last author is found.
pub enum Meta {
    /// In the audit log: the latest event of `entity` about the row whose id is in `id`.
    Audit { entity: &'static str, id: &'static str },
    /// In the row's own columns (records: a sign-off's person and time).
    Columns { by: &'static str, at: &'static str },
    /// Nowhere: rows written with their release and never changed on their own (its gates).
    Unknown,
}

const OF_PRODUCT: &str = "t.product_id IN (SELECT product_id FROM share_product)";
const OF_RELEASE: &str =
    "(SELECT product_id FROM release WHERE id = t.release_id) IN (SELECT product_id FROM share_product)";
const RELEASE: Link = Link { column: "release_id", field: "release", target: "release" };

/// Every shared entity, parents before the rows that point at them.
pub static KINDS: &[Kind] = &[
    Kind {
        name: "products",
        table: "product",
        fields: &[
            "name",
            "description",
            "versioning",
            "created_at",
            "risk_threshold",
            "risk_rules",
            "change_roles",
            "authors_may_approve",
            "maintenance",
        ],
        links: &[],
        sets: &[],
        latest: &[],
        scope: "t.id IN (SELECT product_id FROM share_product)",
        meta: Meta::Audit { entity: "product", id: "t.id" },
    },
    Kind {
        name: "releases",
        table: "release",
        fields: &[
            "version",
            "codename",
            "description",
            "owner",
            "target_date",
            "actual_date",
            "from_ref",
            "to_ref",
            "release_branch",
            "status",
            "created_at",
            "baseline_target",
            "rework",
        ],
        links: &[Link { column: "product_id", field: "product", target: "product" }],
        sets: &[],
        latest: &["updated_at"],
        scope: OF_PRODUCT,
        meta: Meta::Audit { entity: "release", id: "t.id" },
    },
    Kind {
        name: "transitions",
        table: "release_transition",
        fields: &["from_status", "to_status", "actor", "at", "note"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.actor", at: "t.at" },
    },
    Kind {
        name: "milestones",
        table: "milestone",
        fields: &[
            "kind",
            "name",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "baseline_start",
            "baseline_end",
        ],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Audit { entity: "milestone", id: "t.id" },
    },
    Kind {
        name: "freeze-windows",
        table: "freeze_window",
        fields: &["name", "start_date", "end_date", "reason", "created_at"],
        links: &[],
        sets: &[SetLink {
            field: "products",
            table: "freeze_window_product",
            own: "window_id",
            other: "product_id",
            target: "product",
        }],
        latest: &[],
        // A window for every product, or for one this database shares.
        scope: "NOT EXISTS (SELECT 1 FROM freeze_window_product f WHERE f.window_id = t.id)
                OR EXISTS (SELECT 1 FROM freeze_window_product f JOIN share_product s ON s.product_id = f.product_id
                           WHERE f.window_id = t.id)",
        meta: Meta::Audit { entity: "freeze_window", id: "t.id" },
    },
    Kind {
        name: "gates",
        table: "release_gate",
        fields: &[
            "name",
            "into_status",
            "phases_done",
            "signoff_roles",
            "risks_mitigated",
            "change_approved",
            "vulnerable_at",
            "secrets_clear",
            "tag_signed",
        ],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Unknown,
    },
    Kind {
        name: "checklist",
        table: "checklist_item",
        fields: &[
            "phase",
            "position",
            "title",
            "details",
            "owner",
            "required",
            "expected_minutes",
            "evidence_check",
            "state",
            "note",
            "started_at",
            "finished_at",
            "actor",
        ],
        links: &[RELEASE],
        sets: &[],
        latest: &["updated_at"],
        scope: OF_RELEASE,
        meta: Meta::Audit { entity: "checklist_item", id: "t.id" },
    },
    Kind {
        name: "security-acceptances",
        table: "security_acceptance",
        fields: &["finding", "reason", "accepted_by", "accepted_at"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.accepted_by", at: "t.accepted_at" },
    },
    Kind {
        name: "secret-dismissals",
        table: "leak_dismissal",
        fields: &["finding", "reason", "dismissed_by", "dismissed_at"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.dismissed_by", at: "t.dismissed_at" },
    },
    Kind {
        name: "signoffs",
        table: "signoff",
        fields: &["role", "person", "decision", "comment", "at"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.person", at: "t.at" },
    },
    Kind {
        name: "go-no-go",
        table: "go_no_go",
        fields: &["decision", "decided_by", "attendees", "notes", "at"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.decided_by", at: "t.at" },
    },
    Kind {
        name: "deployments",
        table: "deployment",
        fields: &["environment", "strategy", "started_at", "finished_at", "outcome", "actor"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.actor", at: "COALESCE(t.finished_at, t.started_at)" },
    },
    Kind {
        name: "deploy-actions",
        table: "checklist_action",
        fields: &[
            "from_state",
            "to_state",
            "before_note",
            "before_started",
            "before_finished",
            "before_actor",
            "note",
            "actor",
            "at",
            "undone",
        ],
        links: &[
            Link { column: "deployment_id", field: "deployment", target: "deployment" },
            Link { column: "item_id", field: "item", target: "checklist_item" },
        ],
        sets: &[],
        latest: &[],
        scope:
            "(SELECT r.product_id FROM checklist_item i JOIN release r ON r.id = i.release_id WHERE i.id = t.item_id)
                IN (SELECT product_id FROM share_product)",
        meta: Meta::Columns { by: "t.actor", at: "t.at" },
    },
    Kind {
        name: "incidents",
        table: "incident",
        fields: &[
            "title",
            "severity",
            "status",
            "detected_at",
            "mitigated_at",
            "resolved_at",
            "suspected_commits",
            "needed_rollback",
            "notes",
            "links",
            "reported_by",
            "created_at",
        ],
        links: &[
            Link { column: "product_id", field: "product", target: "product" },
            RELEASE,
            Link { column: "deployment_id", field: "deployment", target: "deployment" },
            Link { column: "hotfix_release_id", field: "hotfix_release", target: "release" },
        ],
        sets: &[],
        latest: &["updated_at"],
        scope: OF_PRODUCT,
        meta: Meta::Audit { entity: "incident", id: "t.id" },
    },
    Kind {
        name: "feedback",
        table: "feedback",
        fields: &["source", "channel", "text", "sentiment", "at", "actor"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.actor", at: "t.at" },
    },
    Kind {
        name: "risks",
        table: "risk",
        fields: &[
            "title",
            "description",
            "category",
            "likelihood",
            "impact",
            "status",
            "owner",
            "mitigation",
            "contingency",
            "trigger",
            "review_date",
            "suggestion",
            "created_at",
        ],
        links: &[
            Link { column: "product_id", field: "product", target: "product" },
            RELEASE,
            Link { column: "incident_id", field: "incident", target: "incident" },
        ],
        sets: &[],
        latest: &["updated_at"],
        scope: OF_PRODUCT,
        meta: Meta::Audit { entity: "risk", id: "t.id" },
    },
    Kind {
        name: "retrospectives",
        table: "retrospective",
        fields: &["went_well", "went_badly", "updated_by"],
        links: &[RELEASE],
        sets: &[],
        latest: &["updated_at"],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.updated_by", at: "t.updated_at" },
    },
    Kind {
        name: "retro-actions",
        table: "retro_action",
        fields: &["text", "owner", "due_date", "kind", "done", "template_step", "created_at", "actor"],
        links: &[RELEASE, Link { column: "risk_id", field: "risk", target: "risk" }],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Columns { by: "t.actor", at: "t.created_at" },
    },
    Kind {
        name: "notes",
        table: "release_notes",
        fields: &["highlights", "known_issues", "upgrade_notes"],
        links: &[RELEASE],
        sets: &[],
        latest: &["updated_at"],
        scope: OF_RELEASE,
        meta: Meta::Audit { entity: "release_notes", id: "t.release_id" },
    },
    Kind {
        name: "notes-overrides",
        table: "notes_override",
        fields: &["sha", "hidden", "text", "section"],
        links: &[RELEASE],
        sets: &[],
        latest: &[],
        scope: OF_RELEASE,
        meta: Meta::Audit { entity: "release_notes", id: "t.release_id" },
    },
    Kind {
        name: "changes",
        table: "change_request",
        fields: &[
            "title",
            "description",
            "justification",
            "type",
            "state",
            "window_start",
            "window_end",
            "services",
            "links",
            "implementation_plan",
            "backout_plan",
            "test_plan",
            "risk",
            "impact",
            "requester",
            "rejection",
            "close_code",
            "close_notes",
            "cancel_reason",
            "drafted",
            "authors",
            "created_at",
        ],
        links: &[Link { column: "product_id", field: "product", target: "product" }, RELEASE],
        sets: &[],
        latest: &["updated_at"],
        scope: OF_PRODUCT,
        meta: Meta::Audit { entity: "change_request", id: "t.id" },
    },
    Kind {
        name: "change-approvals",
        table: "change_approval",
        fields: &["role", "person", "decision", "comment", "retrospective", "at"],
        links: &[Link { column: "change_id", field: "change", target: "change_request" }],
        sets: &[],
        latest: &[],
        scope:
            "(SELECT product_id FROM change_request WHERE id = t.change_id) IN (SELECT product_id FROM share_product)",
        meta: Meta::Columns { by: "t.person", at: "t.at" },
    },
    Kind {
        name: CONFLICTS,
        table: "share_conflict",
        fields: &["kind", "entity_uid", "field", "base", "candidates", "found_by", "found_at"],
        links: &[],
        sets: &[],
        latest: &[],
        scope: "1",
        meta: Meta::Columns { by: "t.found_by", at: "t.found_at" },
    },
];

/// The kind that holds the conflicts themselves.
pub const CONFLICTS: &str = "conflicts";

pub fn by_name(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn by_table(table: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.table == table)
}
