//! Moving table rows between files and the embedded store: BigQuery's CSV
//! and newline-delimited JSON export formats read into canonical rows
//! ([`read`], through [`csv_reader`] and [`ndjson_reader`]), every row checked
//! ([`validate`]), loaded in one transaction ([`import`]), and written back
//! ([`write`]). `exp import` reads experiment folders ([`experiment_dirs`])
//! and streams their backtest rows through the same readers
//! ([`backtest_rows`], [`backtest_feed`]). The table specs and the canonical
//! form itself belong to the sources ([`crate::source::tables`],
//! [`crate::source::canonical`]). Knows no SQL and no UI.

pub mod backtest_feed;
pub mod backtest_rows;
pub mod columns;
pub mod csv_reader;
pub use crate::source::domains;
pub mod error;
pub mod experiment_dirs;
pub mod folder_entries;
pub mod folder_files;
pub mod format;
pub mod hashed_keys;
pub mod import;
pub mod ndjson_reader;
pub mod parent_chain;
pub mod read;
pub mod scan;
pub mod validate;
pub mod write;

pub use crate::source::canonical::{self as value, CanonicalRow};
pub use crate::source::tables::{self, Column, ColumnKind, TableKind};
pub use error::{ImportError, Origin};
pub use format::{Format, ReadOptions};
pub use read::{read_rows, read_rows_with};
pub use write::write_rows;
