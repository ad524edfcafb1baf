//! Problems the sync found and the user should hear about: one row per subject (an item, or
//! the account) and cause. A sync cycle raises what it finds and resolves what is gone; the
//! user may dismiss a problem, and a dismissed problem stays quiet until its detail changes.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::owners::normalize_address;
use crate::store::{require_account, require_json, require_key, Store};

/// The subject of a problem with the account as a whole.
pub const ACCOUNT_SUBJECT: &str = "account";

/// What every item subject starts with, for [`SyncProblems::resolve_all_except`].
pub const ITEM_SUBJECT_PREFIX: &str = "item:";

/// The subject of a problem with one calendar item: `item:{owner}/{item id}`, the owner
/// spelled as [`normalize_address`] spells it.
pub fn item_subject(item_owner: &str, item_id: &str) -> String {
    format!(
        "{ITEM_SUBJECT_PREFIX}{}/{item_id}",
        normalize_address(item_owner)
    )
}

/// One problem of one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemRow {
    pub account_id: String,
    /// [`ACCOUNT_SUBJECT`] or an [`item_subject`].
    pub subject: String,
    /// The caller's code for what is wrong.
    pub cause: String,
    /// JSON: what the message needs. Compared as text to tell whether the problem changed, so
    /// it should be written the same way each time.
    pub detail: String,
    /// When it was (last) raised anew.
    pub raised_at: DateTime<Utc>,
    /// When a sync last found it.
    pub updated_at: DateTime<Utc>,
    /// When the user was last told; cleared when it is raised anew.
    pub notified_at: Option<DateTime<Utc>>,
    pub dismissed_at: Option<DateTime<Utc>>,
    /// When its cause went away; cleared when it comes back.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// What [`SyncProblems::raise`] made of a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaiseOutcome {
    /// Not open before: new, back after it was resolved, or back from a dismissal with another
    /// detail. The user has not been told of it.
    New,
    /// Already open; its detail and time are refreshed.
    Updated,
    /// The user dismissed it and its detail is unchanged: it stays dismissed.
    StillDismissed,
}

const COLUMNS: &str = "account_id, subject, cause, detail, raised_at, updated_at, notified_at, \
                       dismissed_at, resolved_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ProblemRow> {
    Ok(ProblemRow {
        account_id: r.get(0)?,
        subject: r.get(1)?,
        cause: r.get(2)?,
        detail: r.get(3)?,
        raised_at: r.get(4)?,
        updated_at: r.get(5)?,
        notified_at: r.get(6)?,
        dismissed_at: r.get(7)?,
        resolved_at: r.get(8)?,
    })
}

/// What a raise finds stored for the same subject and cause.
struct Prior {
    detail: String,
    dismissed: bool,
    resolved: bool,
}

/// The rule for raising a problem that may have been seen before.
fn outcome(prior: Option<&Prior>, detail: &str) -> RaiseOutcome {
    let Some(prior) = prior else {
        return RaiseOutcome::New;
    };
    let same_detail = prior.detail == detail;
    match (prior.dismissed, same_detail, prior.resolved) {
        // A dismissal holds while the problem is the same, even across a resolve.
        (true, true, _) => RaiseOutcome::StillDismissed,
        // Something changed that the user has not seen.
        (true, false, _) => RaiseOutcome::New,
        // It went away and came back.
        (false, _, true) => RaiseOutcome::New,
        (false, _, false) => RaiseOutcome::Updated,
    }
}

/// The `sync_problems` table.
#[derive(Debug, Clone, Copy)]
pub struct SyncProblems<'s> {
    store: &'s Store,
}

impl<'s> SyncProblems<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SyncProblems { store }
    }

    /// Records that the problem is present at `at`; see [`RaiseOutcome`] for what that makes
    /// of it. Raising it again with the same detail and time changes nothing.
    pub fn raise(
        &self,
        account_id: &str,
        subject: &str,
        cause: &str,
        detail: &str,
        at: DateTime<Utc>,
    ) -> Result<RaiseOutcome, StoreError> {
        const STEP: &str = "save the sync problem";
        self.store.write(STEP, |tx| {
            require_key(STEP, "problem subject", subject)?;
            require_key(STEP, "problem cause", cause)?;
            require_json(tx, STEP, "problem detail", detail)?;
            require_account(tx, account_id)?;
            let prior = tx
                .query_row(
                    "SELECT detail, dismissed_at IS NOT NULL, resolved_at IS NOT NULL
                     FROM sync_problems WHERE account_id = ?1 AND subject = ?2 AND cause = ?3",
                    [account_id, subject, cause],
                    |r| {
                        Ok(Prior {
                            detail: r.get(0)?,
                            dismissed: r.get(1)?,
                            resolved: r.get(2)?,
                        })
                    },
                )
                .optional()?;
            let outcome = outcome(prior.as_ref(), detail);
            let params = rusqlite::params![account_id, subject, cause, detail, at];
            match outcome {
                RaiseOutcome::New => tx.execute(
                    &format!(
                        "INSERT INTO sync_problems ({COLUMNS})
                         VALUES (?1, ?2, ?3, ?4, ?5, ?5, NULL, NULL, NULL)
                         ON CONFLICT (account_id, subject, cause) DO UPDATE SET
                            detail = excluded.detail, raised_at = excluded.raised_at,
                            updated_at = excluded.updated_at, notified_at = NULL,
                            dismissed_at = NULL, resolved_at = NULL"
                    ),
                    params,
                )?,
                RaiseOutcome::Updated => tx.execute(
                    "UPDATE sync_problems SET detail = ?4, updated_at = ?5
                     WHERE account_id = ?1 AND subject = ?2 AND cause = ?3",
                    params,
                )?,
                RaiseOutcome::StillDismissed => tx.execute(
                    "UPDATE sync_problems SET updated_at = ?5, resolved_at = NULL
                     WHERE account_id = ?1 AND subject = ?2 AND cause = ?3 AND detail = ?4",
                    params,
                )?,
            };
            Ok(outcome)
        })
    }

    /// Records that the problem's cause is gone; returns whether it was present.
    pub fn resolve(
        &self,
        account_id: &str,
        subject: &str,
        cause: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.store.write("resolve the sync problem", |tx| {
            let updated = tx.execute(
                "UPDATE sync_problems SET resolved_at = ?4
                 WHERE account_id = ?1 AND subject = ?2 AND cause = ?3 AND resolved_at IS NULL",
                rusqlite::params![account_id, subject, cause, at],
            )?;
            Ok(updated > 0)
        })
    }

    /// Resolves every present problem whose subject starts with `subject_prefix` and whose
    /// (subject, cause) is not in `still_present`: what a sync cycle calls with what it found,
    /// so problems whose cause is gone go away. `""` covers every subject,
    /// [`ITEM_SUBJECT_PREFIX`] every item, `item_subject(owner, "")` one owner's items.
    /// Returns how many were resolved.
    pub fn resolve_all_except<S: AsRef<str>, C: AsRef<str>>(
        &self,
        account_id: &str,
        subject_prefix: &str,
        still_present: &[(S, C)],
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let keep: BTreeSet<(&str, &str)> = still_present
            .iter()
            .map(|(s, c)| (s.as_ref(), c.as_ref()))
            .collect();
        self.store
            .write("resolve the sync problems that are gone", |tx| {
                let present: Vec<(String, String)> = {
                    let mut stmt = tx.prepare_cached(
                        "SELECT subject, cause FROM sync_problems
                     WHERE account_id = ?1 AND resolved_at IS NULL
                       AND substr(subject, 1, length(?2)) = ?2",
                    )?;
                    let rows = stmt
                        .query_map([account_id, subject_prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                let mut resolve = tx.prepare_cached(
                    "UPDATE sync_problems SET resolved_at = ?4
                 WHERE account_id = ?1 AND subject = ?2 AND cause = ?3",
                )?;
                let mut resolved = 0;
                for (subject, cause) in &present {
                    if !keep.contains(&(subject.as_str(), cause.as_str())) {
                        resolved +=
                            resolve.execute(rusqlite::params![account_id, subject, cause, at])?;
                    }
                }
                Ok(resolved)
            })
    }

    /// Records that the user dismissed a present problem (the first dismissal's time is
    /// kept); returns whether it was present.
    pub fn dismiss(
        &self,
        account_id: &str,
        subject: &str,
        cause: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.store.write("dismiss the sync problem", |tx| {
            let updated = tx.execute(
                "UPDATE sync_problems SET dismissed_at = coalesce(dismissed_at, ?4)
                 WHERE account_id = ?1 AND subject = ?2 AND cause = ?3 AND resolved_at IS NULL",
                rusqlite::params![account_id, subject, cause, at],
            )?;
            Ok(updated > 0)
        })
    }

    /// Records that the user was told of the problem; returns whether it is stored.
    pub fn mark_notified(
        &self,
        account_id: &str,
        subject: &str,
        cause: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.store.write("mark the sync problem as told", |tx| {
            let updated = tx.execute(
                "UPDATE sync_problems SET notified_at = ?4
                 WHERE account_id = ?1 AND subject = ?2 AND cause = ?3",
                rusqlite::params![account_id, subject, cause, at],
            )?;
            Ok(updated > 0)
        })
    }

    /// What the user is to be told of: present problems neither dismissed nor told yet, and
    /// problems the user was told of (and did not dismiss) whose cause is gone since; oldest
    /// first.
    pub fn to_tell(&self, account_id: &str) -> Result<Vec<ProblemRow>, StoreError> {
        self.store.read("list the sync problems to tell", |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_problems
                 WHERE account_id = ?1 AND (
                    (resolved_at IS NULL AND dismissed_at IS NULL AND notified_at IS NULL)
                    OR (resolved_at IS NOT NULL AND notified_at IS NOT NULL
                        AND dismissed_at IS NULL))
                 ORDER BY raised_at, subject, cause"
            ))?;
            let rows = stmt.query_map([account_id], from_row)?;
            rows.collect()
        })
    }

    /// Records what the user was told (one transaction): each present problem in `told` as
    /// told at `at`, each gone one as told of its end (no longer counted as told, so it is not
    /// told again). Returns how many rows changed.
    pub fn mark_told<S: AsRef<str>, C: AsRef<str>>(
        &self,
        account_id: &str,
        told: &[(S, C)],
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.store.write("mark the sync problems as told", |tx| {
            let mut present = tx.prepare_cached(
                "UPDATE sync_problems SET notified_at = ?4
                 WHERE account_id = ?1 AND subject = ?2 AND cause = ?3 AND resolved_at IS NULL",
            )?;
            let mut gone = tx.prepare_cached(
                "UPDATE sync_problems SET notified_at = NULL
                 WHERE account_id = ?1 AND subject = ?2 AND cause = ?3
                   AND resolved_at IS NOT NULL",
            )?;
            let mut changed = 0;
            for (subject, cause) in told {
                let key = (subject.as_ref(), cause.as_ref());
                changed += present.execute(rusqlite::params![account_id, key.0, key.1, at])?;
                changed += gone.execute(rusqlite::params![account_id, key.0, key.1])?;
            }
            Ok(changed)
        })
    }

    /// The account's problems to show: present and not dismissed, oldest first.
    pub fn open(&self, account_id: &str) -> Result<Vec<ProblemRow>, StoreError> {
        self.store.read("list the open sync problems", |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_problems
                 WHERE account_id = ?1 AND resolved_at IS NULL AND dismissed_at IS NULL
                 ORDER BY raised_at, subject, cause"
            ))?;
            let rows = stmt.query_map([account_id], from_row)?;
            rows.collect()
        })
    }

    /// One problem as stored, whatever its state.
    pub fn get(
        &self,
        account_id: &str,
        subject: &str,
        cause: &str,
    ) -> Result<Option<ProblemRow>, StoreError> {
        self.store.read("read the sync problem", |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_problems
                 WHERE account_id = ?1 AND subject = ?2 AND cause = ?3"
            ))?
            .query_row([account_id, subject, cause], from_row)
            .optional()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn prior(detail: &str, dismissed: bool, resolved: bool) -> Prior {
        Prior {
            detail: detail.into(),
            dismissed,
            resolved,
        }
    }

    #[rstest]
    #[case::never_seen(None, RaiseOutcome::New)]
    #[case::open_same(Some(prior("a", false, false)), RaiseOutcome::Updated)]
    #[case::open_changed(Some(prior("b", false, false)), RaiseOutcome::Updated)]
    #[case::resolved_same(Some(prior("a", false, true)), RaiseOutcome::New)]
    #[case::resolved_changed(Some(prior("b", false, true)), RaiseOutcome::New)]
    #[case::dismissed_same(Some(prior("a", true, false)), RaiseOutcome::StillDismissed)]
    #[case::dismissed_changed(Some(prior("b", true, false)), RaiseOutcome::New)]
    #[case::dismissed_resolved_same(Some(prior("a", true, true)), RaiseOutcome::StillDismissed)]
    #[case::dismissed_resolved_changed(Some(prior("b", true, true)), RaiseOutcome::New)]
    fn raising_detail_a(#[case] prior: Option<Prior>, #[case] expected: RaiseOutcome) {
        assert_eq!(outcome(prior.as_ref(), "a"), expected);
    }
}
