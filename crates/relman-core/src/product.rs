//! Products and the git repositories linked to them.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::{audit, AuditRecord, Store};
use crate::version::Versioning;
use crate::{Error, Result, Stamp};

/// Something that is released.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Product {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub name: String,
    pub description: String,
    pub versioning: Versioning,
    pub repository: Option<Repository>,
    pub release_count: i64,
    pub created_at: String,
}

/// A local git repository that holds a product's code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Repository {
    pub path: String,
    pub default_branch: String,
    /// How release tags are named, with `{version}` standing for the version, e.g. `v{version}`.
    pub tag_pattern: String,
}

/// What the user gives to create or edit a product.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ProductInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub versioning: Versioning,
    #[serde(default)]
    pub repository: Option<Repository>,
}

pub fn create(store: &mut Store, stamp: &Stamp, input: ProductInput) -> Result<Product> {
    let input = validate(input)?;
    let id = store.write(|tx| {
        ensure_name_free(tx, &input.name, None)?;
        tx.execute_cached(
            "INSERT INTO product (name, description, versioning, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![input.name, input.description, input.versioning.as_str(), stamp.at_text()],
        )?;
        let id = tx.last_insert_rowid();
        save_repository(tx, id, input.repository.as_ref())?;
        audit::record(tx, stamp, AuditRecord::new("product", id, "create", details(&input)))?;
        Ok(id)
    })?;
    get(store, id)
}

pub fn update(store: &mut Store, stamp: &Stamp, id: i64, input: ProductInput) -> Result<Product> {
    let input = validate(input)?;
    store.write(|tx| {
        let before = find(tx, id)?;
        ensure_name_free(tx, &input.name, Some(id))?;
        if before.versioning != input.versioning && before.release_count > 0 {
            return Err(Error::invalid_field(
                "versioning",
                format!(
                    "{} already has {} releases numbered as {}; the versioning scheme can change only while it has none.",
                    before.name,
                    before.release_count,
                    before.versioning.as_str()
                ),
            ));
        }
        tx.execute_cached(
            "UPDATE product SET name = ?2, description = ?3, versioning = ?4 WHERE id = ?1",
            params![id, input.name, input.description, input.versioning.as_str()],
        )?;
        save_repository(tx, id, input.repository.as_ref())?;
        audit::record(tx, stamp, AuditRecord::new("product", id, "update", details(&input)))?;
        Ok(())
    })?;
    get(store, id)
}

/// Deletes a product that has no releases; a product with releases is refused so no history is lost.
pub fn delete(store: &mut Store, stamp: &Stamp, id: i64) -> Result<()> {
    store.write(|tx| {
        let product = find(tx, id)?;
        if product.release_count > 0 {
            return Err(Error::Conflict(format!(
                "{} has {} releases; delete or move them before deleting the product.",
                product.name, product.release_count
            )));
        }
        tx.execute_cached("DELETE FROM product WHERE id = ?1", [id])?;
        let details = serde_json::json!({ "name": product.name });
        audit::record(tx, stamp, AuditRecord::new("product", id, "delete", details))
    })
}

pub fn get(store: &Store, id: i64) -> Result<Product> {
    find(store.conn(), id)
}

pub fn list(store: &Store) -> Result<Vec<Product>> {
    let mut stmt = store.conn().prepare_cached(&format!("{SELECT} ORDER BY p.name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Finds a product by name, ignoring case, for the CLI and imports.
pub fn find_by_name(store: &Store, name: &str) -> Result<Product> {
    let found = store
        .conn()
        .query_row_cached(&format!("{SELECT} WHERE p.name = ?1 COLLATE NOCASE"), [name.trim()], from_row)
        .optional()?;
    found.ok_or_else(|| {
        Error::NotFound(format!("No product is named \"{}\"; list them with `relman product list`.", name.trim()))
    })
}

const SELECT: &str = "SELECT p.id, p.name, p.description, p.versioning, p.created_at,
        r.path, r.default_branch, r.tag_pattern,
        (SELECT COUNT(*) FROM release WHERE product_id = p.id), p.uid
    FROM product p LEFT JOIN repository r ON r.product_id = p.id";

pub(crate) fn find(conn: &Connection, id: i64) -> Result<Product> {
    conn.query_row_cached(&format!("{SELECT} WHERE p.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Product {id} does not exist; it may have been deleted.")))
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Product> {
    let versioning: String = row.get(3)?;
    let path: Option<String> = row.get(5)?;
    Ok(Product {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        versioning: Versioning::parse(&versioning).unwrap_or_default(),
        created_at: row.get(4)?,
        repository: match path {
            Some(path) => Some(Repository { path, default_branch: row.get(6)?, tag_pattern: row.get(7)? }),
            None => None,
        },
        release_count: row.get(8)?,
        uid: row.get::<_, Option<String>>(9)?.unwrap_or_default(),
    })
}

fn ensure_name_free(tx: &Connection, name: &str, except: Option<i64>) -> Result<()> {
    let taken: Option<i64> = tx
        .query_row_cached(
            "SELECT id FROM product WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
            params![name, except],
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(_) => Err(Error::Conflict(format!("A product named \"{name}\" already exists; choose another name."))),
        None => Ok(()),
    }
}

fn save_repository(tx: &Connection, product_id: i64, repo: Option<&Repository>) -> Result<()> {
    tx.execute_cached("DELETE FROM repository WHERE product_id = ?1", [product_id])?;
    if let Some(repo) = repo {
        tx.execute_cached(
            "INSERT INTO repository (product_id, path, default_branch, tag_pattern) VALUES (?1, ?2, ?3, ?4)",
            params![product_id, repo.path, repo.default_branch, repo.tag_pattern],
        )?;
    }
    Ok(())
}

fn validate(input: ProductInput) -> Result<ProductInput> {
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(Error::invalid_field("name", "Enter a product name."));
    }
    if name.chars().count() > 80 {
        return Err(Error::invalid_field("name", "Keep the product name under 80 characters."));
    }
    let repository = input.repository.filter(|r| !r.path.trim().is_empty()).map(validate_repository).transpose()?;
    Ok(ProductInput {
        name,
        description: input.description.trim().to_string(),
        versioning: input.versioning,
        repository,
    })
}

fn validate_repository(repo: Repository) -> Result<Repository> {
    let typed = repo.path.trim();
    // `~/src/atlas` as people type it; stored absolute, so the app and the CLI agree wherever they start.
    let expanded = match typed.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().map_or_else(|| std::path::PathBuf::from(typed), |home| home.join(rest)),
        None => std::path::PathBuf::from(typed),
    };
    let absolute = std::fs::canonicalize(&expanded).map_err(|_| {
        Error::invalid_field(
            "repository_path",
            format!("{typed} does not exist; enter the folder of a local git clone."),
        )
    })?;
    // The same checks the notes make when they read it; a repository with no commits yet may be linked.
    match crate::git::Repo::open(&absolute) {
        Ok(_) => {}
        Err(e) if e.code() == crate::ErrorCode::EmptyRepository => {}
        Err(e) => return Err(Error::invalid_field("repository_path", e.to_string())),
    }
    let path = absolute.display().to_string();
    let default_branch = match repo.default_branch.trim() {
        "" => "main".to_string(),
        b => b.to_string(),
    };
    if !git2::Reference::is_valid_name(&format!("refs/heads/{default_branch}")) {
        return Err(Error::invalid_field(
            "default_branch",
            format!("\"{default_branch}\" is not a valid branch name; use a name such as main or release/2.x."),
        ));
    }
    let tag_pattern = match repo.tag_pattern.trim() {
        "" => "v{version}".to_string(),
        p => p.to_string(),
    };
    crate::git::TagPattern::new(&tag_pattern, crate::version::Versioning::Semver)?;
    Ok(Repository { path, default_branch, tag_pattern })
}

fn details(input: &ProductInput) -> serde_json::Value {
    serde_json::json!({
        "name": input.name,
        "versioning": input.versioning.as_str(),
        "repository": input.repository.as_ref().map(|r| &r.path),
    })
}
