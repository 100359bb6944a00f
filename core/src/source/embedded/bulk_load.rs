//! Loading many rows into a store in one transaction (the demo build): the
//! secondary indexes and the change-noting triggers are set aside first and
//! put back once the rows are in, so each index is built once, in order,
//! instead of grown row by row, and no insert notes a changed date. Unique
//! indexes stay: inserts may rely on them.

use rusqlite::Connection;

/// What [`set_aside`] took out of the schema, to put back.
#[must_use = "the indexes and triggers must be put back"]
pub struct SetAside {
    statements: Vec<String>,
}

/// Drops the non-unique indexes and the `courtside_day_dirty_*` triggers
/// (in the caller's transaction), keeping their SQL.
pub fn set_aside(connection: &Connection) -> rusqlite::Result<SetAside> {
    let mut statement = connection.prepare(
        "SELECT type, name, sql FROM sqlite_master
         WHERE sql IS NOT NULL
           AND ((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%')
             OR (type = 'trigger' AND name LIKE 'courtside\\_day\\_dirty\\_%' ESCAPE '\\'))
         ORDER BY type, name",
    )?;
    let found = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut statements = Vec::with_capacity(found.len());
    for (kind, name, sql) in found {
        let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
        // The name comes from the schema itself, quoted as an identifier.
        connection.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
        statements.push(sql);
    }
    Ok(SetAside { statements })
}

impl SetAside {
    /// Builds the indexes and recreates the triggers, in the caller's
    /// transaction.
    pub fn put_back(self, connection: &Connection) -> rusqlite::Result<()> {
        for sql in self.statements {
            connection.execute_batch(&sql)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_and_triggers_come_back_as_they_were() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE t (a, b UNIQUE);
                 CREATE TABLE courtside_day_dirty (d);
                 CREATE INDEX t_a ON t (a);
                 CREATE TRIGGER courtside_day_dirty_t AFTER INSERT ON t BEGIN
                   INSERT INTO courtside_day_dirty VALUES (NEW.a);
                 END;",
            )
            .unwrap();
        let schema = |connection: &Connection| -> Vec<String> {
            let mut statement = connection
                .prepare("SELECT name FROM sqlite_master ORDER BY name")
                .unwrap();
            statement
                .query_map([], |row| row.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let before = schema(&connection);
        let aside = set_aside(&connection).unwrap();
        let during = schema(&connection);
        assert!(!during.contains(&"t_a".to_string()));
        assert!(!during.contains(&"courtside_day_dirty_t".to_string()));
        assert!(
            during
                .iter()
                .any(|name| name.starts_with("sqlite_autoindex"))
        );
        connection
            .execute("INSERT INTO t VALUES (1, 2)", [])
            .unwrap();
        aside.put_back(&connection).unwrap();
        assert_eq!(schema(&connection), before);
        let noted: i64 = connection
            .query_row("SELECT COUNT(*) FROM courtside_day_dirty", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(noted, 0, "the load noted nothing");
    }
}
