-- Schema 1. Shipped migrations are never edited: a change is a new file appended to the list
-- in src/migrations.rs.

-- Small preferences and per-data-folder facts (such as the profile id), as text.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Who signed in and against which endpoints. Tokens live in the OS keyring only, so this table
-- has no column that could hold one.
CREATE TABLE accounts (
    id           TEXT PRIMARY KEY NOT NULL,
    tenant_id    TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    address      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    authority    TEXT NOT NULL,
    client_id    TEXT NOT NULL,
    graph_url    TEXT NOT NULL,
    signed_in_at TEXT NOT NULL,
    CHECK (id = tenant_id || '.' || object_id)
) STRICT;

-- At most one row: the account the app acts as. Removing the account clears it.
CREATE TABLE current_account (
    slot       INTEGER PRIMARY KEY NOT NULL CHECK (slot = 1),
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE
) STRICT;

-- Owners the user added by address, to be probed on each refresh.
CREATE TABLE added_owners (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    address    TEXT NOT NULL CHECK (address <> ''),
    added_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, address)
) STRICT, WITHOUT ROWID;

-- The last known list of reachable calendars, replaced whole on each refresh.
CREATE TABLE calendars (
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    owner_address TEXT NOT NULL,
    calendar_key  TEXT NOT NULL CHECK (calendar_key <> ''),
    name          TEXT NOT NULL,
    entry_json    TEXT NOT NULL CHECK (json_valid(entry_json)),
    graph_role    TEXT,
    source        TEXT NOT NULL,
    seen_at       TEXT NOT NULL,
    PRIMARY KEY (account_id, owner_address, calendar_key)
) STRICT, WITHOUT ROWID;
