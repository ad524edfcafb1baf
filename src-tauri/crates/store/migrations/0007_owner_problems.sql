-- A problem may concern one owner's calendar as a whole (`owner:{address}`): their Onbehalf
-- works in another Microsoft 365 organisation or CRM org. SQLite cannot change a CHECK in
-- place, so the table is made anew with its rows.
CREATE TABLE sync_problems_new (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    subject      TEXT NOT NULL CHECK (
        subject = 'account' OR subject GLOB 'item:?*/?*' OR subject GLOB 'owner:?*'
    ),
    cause        TEXT NOT NULL CHECK (cause <> ''),
    detail       TEXT NOT NULL CHECK (json_valid(detail)),
    raised_at    TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    notified_at  TEXT,
    dismissed_at TEXT,
    resolved_at  TEXT,
    PRIMARY KEY (account_id, subject, cause)
) STRICT;

INSERT INTO sync_problems_new
    SELECT account_id, subject, cause, detail, raised_at, updated_at, notified_at,
           dismissed_at, resolved_at
    FROM sync_problems;

DROP TABLE sync_problems;
ALTER TABLE sync_problems_new RENAME TO sync_problems;

CREATE INDEX sync_problems_open ON sync_problems (account_id, raised_at)
    WHERE resolved_at IS NULL AND dismissed_at IS NULL;
