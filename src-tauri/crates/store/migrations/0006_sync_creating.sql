-- Schema 6: events whose creation was sent to a CRM that keeps no Exchange item id on its
-- events (an org without Onbehalf's CRM package), until the item is linked. A crash or a lost
-- answer in between leaves the row, and the next sync looks for the event among those the user
-- made since `sent_at` (same calendar, subject and start) instead of making a second one.
CREATE TABLE sync_creating (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    item_owner   TEXT NOT NULL CHECK (item_owner <> '' AND item_owner = lower(item_owner)),
    item_id      TEXT NOT NULL CHECK (item_id <> ''),
    crm_owner_id TEXT NOT NULL CHECK (crm_owner_id <> ''),
    subject      TEXT NOT NULL,
    -- The event's start as the caller spells it (a time, or a first day).
    starts       TEXT NOT NULL CHECK (starts <> ''),
    sent_at      TEXT NOT NULL,
    PRIMARY KEY (account_id, item_owner, item_id)
) STRICT;

-- A link remembered ends its item's creation: in the same statement, so no crash can keep one
-- without the other.
CREATE TRIGGER sync_creating_done_on_link_insert AFTER INSERT ON sync_links
BEGIN
    DELETE FROM sync_creating
    WHERE account_id = NEW.account_id AND item_owner = NEW.item_owner AND item_id = NEW.item_id;
END;

CREATE TRIGGER sync_creating_done_on_link_update AFTER UPDATE ON sync_links
BEGIN
    DELETE FROM sync_creating
    WHERE account_id = NEW.account_id AND item_owner = NEW.item_owner AND item_id = NEW.item_id;
END;
