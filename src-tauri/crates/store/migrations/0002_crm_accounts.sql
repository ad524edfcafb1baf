-- Schema 2: the CRM account each Microsoft 365 account signed in to. Its refresh token lives in
-- the encrypted token vault, so this table has no column that could hold one.
CREATE TABLE crm_accounts (
    account_id   TEXT PRIMARY KEY NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    crm          TEXT NOT NULL CHECK (crm <> ''),
    org_id       TEXT NOT NULL CHECK (org_id <> ''),
    user_id      TEXT NOT NULL CHECK (user_id <> ''),
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    login_url    TEXT NOT NULL,
    instance_url TEXT NOT NULL,
    signed_in_at TEXT NOT NULL
) STRICT;
