-- Time slots offered by e-mail, each with a short reference its reply links carry: what was
-- offered (JSON the app reads), the tentative holds placed for it, and whether a reply booked
-- one. An offer stays until it is booked, withdrawn or expired, and is then kept a while for
-- the record.
CREATE TABLE slot_offers (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reference       TEXT NOT NULL CHECK (reference <> ''),
    owner       TEXT NOT NULL CHECK (owner <> ''),
    state       TEXT NOT NULL CHECK (state IN ('open', 'booked', 'withdrawn', 'expired')),
    offer       TEXT NOT NULL CHECK (json_valid(offer)),
    holds       TEXT NOT NULL CHECK (json_valid(holds)),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    closed_at   TEXT,
    PRIMARY KEY (account_id, reference)
) STRICT;

CREATE INDEX slot_offers_open ON slot_offers (account_id, expires_at) WHERE state = 'open';
