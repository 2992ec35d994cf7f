//! Alter's SQLite databases.
//!
//! Two kinds of database, each with its own migrations embedded from the
//! top-level `migrations/` folder and applied when opened:
//!
//! - [`AppDb`] (`$ALTER_HOME/alter.db`): the twin library.
//! - [`TwinDb`] (`$ALTER_HOME/twins/<id>/twin.db`): one per twin, holding its
//!   documents, chunks, vectors, persona and conversations, so that a twin
//!   can be exported, encrypted or erased as a unit.
//!
//! Queries are checked at run time (`query`/`query_as` with `.bind`), so
//! building needs no `DATABASE_URL`.

mod app;
mod error;
mod open;
mod twin_db;

pub use app::AppDb;
pub use error::{StoreError, describe_query_error, is_disk_error};
pub use twin_db::TwinDb;

/// Re-exported so crates that own tables in a twin database use the same sqlx.
pub use sqlx;

/// Current time as an RFC 3339 string, the timestamp format of every table.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("formatting the current UTC time cannot fail")
}
