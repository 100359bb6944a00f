//! Moving table rows in and out of courtside: the table specs
//! ([`tables`]), the canonical row form every source and file format shares
//! ([`value`]), BigQuery's CSV and newline-delimited JSON export formats
//! ([`read`], [`write`]) and the row checks of an import ([`validate`]).
//! Knows no SQL and no UI: the embedded store inserts and returns canonical
//! rows, the `import` / `export` commands move them between files and a source.

pub mod read;
pub mod tables;
pub mod validate;
pub mod value;
pub mod write;

pub use read::{Format, ImportError, Origin, ReadOptions, read_rows};
pub use tables::{Column, ColumnKind, TableKind};
pub use value::CanonicalRow;
pub use write::write_rows;
