//! Whose file a store is, decided on a read-only connection before courtside
//! changes anything in it (the journal mode, a migration, a table):
//!
//! - **Empty**: a 0-byte file, or an SQLite file with no schema object and
//!   neither `user_version` nor `application_id` set. A writing command may
//!   make it courtside's; a read leaves it as it is.
//! - **Courtside's**: it has `courtside_meta`, whose `schema_version` says
//!   which schema it has (a store made before the version was recorded has
//!   none and reads as version 0).
//! - **The data contract's**: no `courtside_meta` but a `prediction_accuracy`
//!   table: a store made by an earlier courtside, or the team's tables built
//!   elsewhere. It is read as courtside's, and adopted (`courtside_meta`
//!   written) only by the first command that writes. Its `user_version`
//!   does not matter. Another table of the contract without
//!   `prediction_accuracy` (a registry kept on its own) counts the same,
//!   unless `user_version` is set: then another application made the file.
//! - **Someone else's**: anything else: tables none of which is the
//!   contract's, or no table but a `user_version` or `application_id`
//!   another application set. Every command refuses it, naming the file, and
//!   leaves it byte for byte as it was.
//!
//! A store whose `schema_version` is newer than [`SCHEMA_VERSION`] is never
//! written. It is read (read-only, nothing kept in it) while it still has
//! every column courtside reads (`required_columns.rs`), and refused naming
//! both versions otherwise.

use crate::source::tables::TableKind;
use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// The schema this courtside writes, kept in `courtside_meta` by every
/// command that writes. Bumped when a change makes a store unreadable to
/// the courtside before it.
pub const SCHEMA_VERSION: i64 = 1;

/// The `courtside_meta` key of the schema version.
pub const SCHEMA_VERSION_KEY: &str = "schema_version";

/// The `courtside_meta` key naming the courtside that first wrote the store
/// (or adopted it).
pub const CREATED_BY_KEY: &str = "created_by_version";

/// The table that marks a store as courtside's.
const META: &str = "courtside_meta";

/// The table that marks a store as built to the data contract.
const PREDICTIONS: &str = "prediction_accuracy";

/// How many table names a refusal lists.
const LISTED: usize = 8;

/// Whose a store file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Nothing in it yet.
    Empty,
    /// Courtside's, at this schema version (0: made before versions).
    Courtside { version: i64 },
    /// Built to the data contract elsewhere, or by an earlier courtside.
    Contract,
    /// Another application's; `holds` says what it holds instead.
    Foreign { holds: String },
}

/// Whose the file behind `connection` (read-only) is; `path` names it in
/// errors.
pub fn survey(connection: &Connection, path: &Path) -> Result<Owner> {
    inspect(connection, path).map_err(|error| {
        if error
            .to_string()
            .starts_with(&format!("{}: ", path.display()))
        {
            error
        } else {
            error.context(format!(
                "{}: cannot tell whose file this is",
                path.display()
            ))
        }
    })
}

fn inspect(connection: &Connection, path: &Path) -> Result<Owner> {
    let tables: Vec<String> = {
        let mut statement = connection.prepare(
            "SELECT name FROM sqlite_master
             WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'
             ORDER BY name",
        )?;
        statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let has = |name: &str| tables.iter().any(|table| table.eq_ignore_ascii_case(name));
    if has(META) {
        return Ok(Owner::Courtside {
            version: version(connection, path)?,
        });
    }
    if has(PREDICTIONS) {
        return Ok(Owner::Contract);
    }
    let pragma = |name: &str| -> rusqlite::Result<i64> {
        connection.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0))
    };
    let user_version = pragma("user_version")?;
    // Another of the contract's tables (a registry kept on its own) makes
    // it the contract's too, unless another application set user_version.
    let contract = TableKind::ALL.iter().any(|table| has(table.name()));
    if contract && user_version == 0 {
        return Ok(Owner::Contract);
    }
    if !tables.is_empty() {
        let versioned = if user_version == 0 {
            String::new()
        } else {
            format!(", and its user_version is {user_version}, set by another application")
        };
        return Ok(Owner::Foreign {
            holds: format!(
                "it holds {} {} and no {PREDICTIONS}{versioned}",
                if tables.len() == 1 { "table" } else { "tables" },
                listed(&tables)
            ),
        });
    }
    if user_version != 0 {
        return Ok(Owner::Foreign {
            holds: format!(
                "it holds no table, but its user_version is {user_version}, set by another application"
            ),
        });
    }
    let application_id = pragma("application_id")?;
    if application_id != 0 {
        return Ok(Owner::Foreign {
            holds: format!(
                "it holds no table, but its application_id is {application_id}, set by another application"
            ),
        });
    }
    let objects: i64 =
        connection.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get(0))?;
    if objects > 0 {
        return Ok(Owner::Foreign {
            holds: format!("it holds {objects} schema object(s) but no table"),
        });
    }
    Ok(Owner::Empty)
}

/// The schema version `courtside_meta` records (0 when it records none).
fn version(connection: &Connection, path: &Path) -> Result<i64> {
    let value: Option<Option<String>> = connection
        .query_row(
            "SELECT CAST(value AS TEXT) FROM courtside_meta WHERE key = ?1",
            [SCHEMA_VERSION_KEY],
            |row| row.get(0),
        )
        .optional()?;
    let Some(text) = value.flatten() else {
        return Ok(0);
    };
    text.trim()
        .parse::<u32>()
        .map(i64::from)
        .map_err(|_| {
            anyhow!(
                "{}: courtside_meta holds {SCHEMA_VERSION_KEY} `{text}`, which is not a version number; nothing was changed",
                path.display()
            )
        })
}

/// Up to [`LISTED`] names, then how many more.
fn listed(names: &[String]) -> String {
    let shown = names
        .iter()
        .take(LISTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(LISTED) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

fn not_ours(path: &Path, holds: &str) -> anyhow::Error {
    anyhow!(
        "{}: not a courtside store ({holds}); nothing was changed",
        path.display()
    )
}

impl Owner {
    /// Refuses what courtside may not write: another application's file, or
    /// a schema newer than this courtside's.
    pub fn check_write(&self, path: &Path) -> Result<()> {
        match self {
            Owner::Foreign { holds } => Err(not_ours(path, holds)),
            Owner::Courtside { version } if *version > SCHEMA_VERSION => bail!(
                "{}: store schema version {version} is newer than this courtside's {SCHEMA_VERSION}; upgrade courtside to write to it (nothing was changed)",
                path.display()
            ),
            _ => Ok(()),
        }
    }

    /// Refuses what courtside may not read: another application's file, or
    /// a newer schema that lacks a column this courtside reads.
    pub fn check_read(&self, connection: &Connection, path: &Path) -> Result<()> {
        match self {
            Owner::Foreign { holds } => Err(not_ours(path, holds)),
            Owner::Courtside { version } if *version > SCHEMA_VERSION => {
                let missing = super::required_columns::missing(connection).with_context(|| {
                    format!("{}: reading the columns of the store", path.display())
                })?;
                if missing.is_empty() {
                    return Ok(());
                }
                bail!(
                    "{}: store schema version {version} is newer than this courtside's {SCHEMA_VERSION} and lacks {} that this courtside reads; upgrade courtside",
                    path.display(),
                    listed(&missing)
                )
            }
            _ => Ok(()),
        }
    }

    /// Whether a read may keep its work in the store when the file can be
    /// written (the day sums, the columns added since it was made): a store
    /// that is courtside's or the contract's, at a schema this courtside
    /// knows. Never an empty file: it is not a store yet.
    pub fn keeps(&self) -> bool {
        match self {
            Owner::Contract => true,
            Owner::Courtside { version } => *version <= SCHEMA_VERSION,
            Owner::Empty | Owner::Foreign { .. } => false,
        }
    }

    /// The note a read of this store leaves (a newer schema read as it is).
    pub fn read_note(&self) -> Option<String> {
        match self {
            Owner::Courtside { version } if *version > SCHEMA_VERSION => Some(format!(
                "store schema version {version} is newer than this courtside's {SCHEMA_VERSION}: read as it is, nothing written to it (upgrade courtside)"
            )),
            _ => None,
        }
    }
}

/// Marks the store courtside's at [`SCHEMA_VERSION`] (after its schema was
/// applied, in the same transaction); writes nothing when it already is.
pub fn stamp(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO courtside_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE courtside_meta.value IS NOT excluded.value",
        params![SCHEMA_VERSION_KEY, SCHEMA_VERSION.to_string()],
    )?;
    connection.execute(
        "INSERT INTO courtside_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        params![
            CREATED_BY_KEY,
            concat!("courtside ", env!("CARGO_PKG_VERSION"))
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(sql: &str) -> Owner {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch(sql).unwrap();
        survey(&connection, Path::new("s.sqlite")).unwrap()
    }

    #[test]
    fn each_kind_of_file_is_told_apart() {
        assert_eq!(owner(""), Owner::Empty);
        assert_eq!(
            owner("CREATE TABLE courtside_meta (key TEXT PRIMARY KEY, value TEXT);"),
            Owner::Courtside { version: 0 }
        );
        assert_eq!(
            owner(
                "CREATE TABLE courtside_meta (key TEXT PRIMARY KEY, value TEXT);
                 INSERT INTO courtside_meta VALUES ('schema_version', 99);"
            ),
            Owner::Courtside { version: 99 }
        );
        assert_eq!(
            owner("PRAGMA user_version = 7; CREATE TABLE prediction_accuracy (x);"),
            Owner::Contract
        );
        let Owner::Foreign { holds } =
            owner("CREATE TABLE notes (id, body); CREATE TABLE tags (t);")
        else {
            panic!("another application's tables are not ours");
        };
        assert_eq!(
            holds,
            "it holds tables notes, tags and no prediction_accuracy"
        );
        assert!(matches!(
            owner("PRAGMA user_version = 3;"),
            Owner::Foreign { .. }
        ));
        assert_eq!(
            owner("CREATE TABLE ml_experiments (experiment_id);"),
            Owner::Contract
        );
        let Owner::Foreign { holds } =
            owner("PRAGMA user_version = 3; CREATE TABLE ml_experiments (experiment_id);")
        else {
            panic!("a user_version another application set makes it theirs");
        };
        assert!(holds.contains("user_version is 3"), "{holds}");
        assert!(matches!(
            owner("PRAGMA application_id = 5;"),
            Owner::Foreign { .. }
        ));
    }

    #[test]
    fn a_newer_schema_is_refused_for_writing_and_an_older_one_kept() {
        let path = Path::new("s.sqlite");
        let newer = Owner::Courtside { version: 99 };
        let error = newer.check_write(path).unwrap_err().to_string();
        assert!(
            error.contains("99") && error.contains("courtside's 1"),
            "{error}"
        );
        assert!(!newer.keeps());
        assert!(Owner::Courtside { version: 0 }.keeps());
        assert!(Owner::Contract.keeps());
        assert!(!Owner::Empty.keeps());
        assert!(Owner::Empty.check_write(path).is_ok());
    }

    #[test]
    fn a_version_that_is_not_a_number_is_an_error_naming_the_file() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE courtside_meta (key TEXT PRIMARY KEY, value TEXT);
                 INSERT INTO courtside_meta VALUES ('schema_version', 'two');",
            )
            .unwrap();
        let error = survey(&connection, Path::new("s.sqlite"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("s.sqlite: ") && error.contains("`two`"),
            "{error}"
        );
    }

    #[test]
    fn stamping_twice_writes_once() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch("CREATE TABLE courtside_meta (key TEXT PRIMARY KEY, value TEXT);")
            .unwrap();
        stamp(&connection).unwrap();
        let before = connection.total_changes();
        stamp(&connection).unwrap();
        assert_eq!(connection.total_changes(), before);
        assert_eq!(
            survey(&connection, Path::new("s.sqlite")).unwrap(),
            Owner::Courtside {
                version: SCHEMA_VERSION
            }
        );
    }
}
