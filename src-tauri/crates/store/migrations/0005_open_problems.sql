-- The open problems of an account are read every sync cycle; resolved ones stay (a problem is
-- raised again in place), so without this index the read grows with every problem ever had.
CREATE INDEX sync_problems_open ON sync_problems (account_id, raised_at)
    WHERE resolved_at IS NULL AND dismissed_at IS NULL;
