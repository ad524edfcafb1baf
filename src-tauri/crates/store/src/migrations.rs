//! The schema's history. Append-only: a shipped migration is never edited or removed, so a
//! data folder written by any earlier release upgrades in order. SQLite's `user_version` holds
//! how many of these have run.

use rusqlite_migration::{Migrations, M};

const HISTORY: &[M<'static>] = &[
    M::up(include_str!("../migrations/0001_initial.sql")),
    M::up(include_str!("../migrations/0002_crm_accounts.sql")),
    M::up(include_str!("../migrations/0003_sync.sql")),
    M::up(include_str!("../migrations/0004_sync_overwrites.sql")),
    M::up(include_str!("../migrations/0005_open_problems.sql")),
    M::up(include_str!("../migrations/0006_sync_creating.sql")),
    M::up(include_str!("../migrations/0007_owner_problems.sql")),
    M::up(include_str!("../migrations/0008_slot_offers.sql")),
];

/// The migrations this build knows, in order.
pub(crate) const MIGRATIONS: Migrations<'static> = Migrations::from_slice(HISTORY);

/// The newest schema this build can read and write.
pub const SCHEMA_VERSION: u32 = HISTORY.len() as u32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_applies_to_an_empty_database() {
        assert!(MIGRATIONS.validate().is_ok());
    }
}
