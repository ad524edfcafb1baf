-- Schema 3: what the sync between Exchange calendars and the CRM keeps per Microsoft 365
-- account, so an interrupted sync resumes and a crash loses nothing the user asked for. Every
-- row goes with its account. Tokens live elsewhere, so no column here could hold one.
--
-- Owner addresses are stored lowercase, as `normalize_address` spells them. Times are UTC text
-- as rusqlite writes them ("YYYY-MM-DD HH:MM:SS[.fff]+00:00"), which sorts in time order.

-- One row per calendar item linked to a CRM event: both ids, each side's version after the
-- last write, and the fields as last synced (hashes to detect changes, values to show what a
-- conflict overwrote). Advanced only after the remote write succeeded.
CREATE TABLE sync_links (
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    item_owner    TEXT NOT NULL CHECK (item_owner <> '' AND item_owner = lower(item_owner)),
    item_id       TEXT NOT NULL CHECK (item_id <> ''),
    crm           TEXT NOT NULL CHECK (crm <> ''),
    org_id        TEXT NOT NULL CHECK (org_id <> ''),
    event_id      TEXT NOT NULL CHECK (event_id <> ''),
    crm_owner_id  TEXT NOT NULL CHECK (crm_owner_id <> ''),
    who_id        TEXT,
    what_id       TEXT,
    synced_hashes TEXT NOT NULL CHECK (json_valid(synced_hashes)),
    synced_fields TEXT CHECK (synced_fields IS NULL OR json_valid(synced_fields)),
    ex_version    TEXT NOT NULL,
    crm_version   TEXT NOT NULL,
    synced_at     TEXT NOT NULL,
    PRIMARY KEY (account_id, item_owner, item_id),
    -- A CRM event belongs to one item: a second link to it would sync two items into one.
    UNIQUE (account_id, crm, org_id, event_id)
) STRICT;

-- Where each change feed was last read (a Graph delta link, a CRM's updated/deleted cursor).
CREATE TABLE sync_cursors (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (name <> ''),
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
) STRICT;

-- What the user asked for, kept before it is acted on. The id is a uuid the caller makes, so
-- a replayed request finds its own row.
CREATE TABLE sync_outbox (
    id              TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind <> ''),
    item_owner      TEXT NOT NULL CHECK (item_owner <> '' AND item_owner = lower(item_owner)),
    item_id         TEXT NOT NULL CHECK (item_id <> ''),
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT
) STRICT;

-- Listing and picking what is due both walk one account's intents in the order they were made.
CREATE INDEX sync_outbox_by_account ON sync_outbox (account_id, created_at, id);

-- At most one conflict per item: the values on each side and as last synced, and the side the
-- user chose once they chose.
CREATE TABLE sync_conflicts (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    item_owner  TEXT NOT NULL CHECK (item_owner <> '' AND item_owner = lower(item_owner)),
    item_id     TEXT NOT NULL CHECK (item_id <> ''),
    detected_at TEXT NOT NULL,
    fields      TEXT NOT NULL CHECK (json_valid(fields)),
    resolution  TEXT CHECK (resolution IN ('exchange', 'crm')),
    resolved_at TEXT,
    CHECK ((resolution IS NULL) = (resolved_at IS NULL)),
    PRIMARY KEY (account_id, item_owner, item_id)
) STRICT;

-- One row per subject and cause: what is wrong with an item ("item:{owner}/{item id}") or with
-- the account ("account"). A resolved or dismissed problem keeps its row, so a dismissal is
-- remembered while the same problem comes and goes.
CREATE TABLE sync_problems (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    subject      TEXT NOT NULL CHECK (subject = 'account' OR subject GLOB 'item:?*/?*'),
    cause        TEXT NOT NULL CHECK (cause <> ''),
    detail       TEXT NOT NULL CHECK (json_valid(detail)),
    raised_at    TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    notified_at  TEXT,
    dismissed_at TEXT,
    resolved_at  TEXT,
    PRIMARY KEY (account_id, subject, cause)
) STRICT;
