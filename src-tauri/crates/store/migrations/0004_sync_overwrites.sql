-- Schema 4: what a field-level merge overwrote. When both sides changed a field since the last
-- sync, the configured winner's value is kept on both; the value it replaced is kept here so
-- the user can see it, newest first, until they dismiss it. A few per item are kept.
CREATE TABLE sync_overwrites (
    id           INTEGER PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    item_owner   TEXT NOT NULL CHECK (item_owner <> '' AND item_owner = lower(item_owner)),
    item_id      TEXT NOT NULL CHECK (item_id <> ''),
    decided_at   TEXT NOT NULL,
    -- JSON: the item's subject and time afterwards, and per field the side that won, the value
    -- kept and the value overwritten.
    detail       TEXT NOT NULL CHECK (json_valid(detail)),
    dismissed_at TEXT
) STRICT;

-- Listing walks an account's notices newest first; recording looks up an item's newest.
CREATE INDEX sync_overwrites_by_item
    ON sync_overwrites (account_id, item_owner, item_id, decided_at);
CREATE INDEX sync_overwrites_by_time ON sync_overwrites (account_id, decided_at);
