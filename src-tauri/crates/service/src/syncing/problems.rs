//! The sync's open problems as the Problems view and `onbehalf problems` show them, and their
//! dismissal: a dismissed problem is not told or shown again until something about it changes.

use chrono::{DateTime, Utc};
use onbehalf_engine::sync::account::who_can_fix;
use onbehalf_engine::sync::notice_kinds::NoticeKind;
use onbehalf_engine::sync::notices::ProblemFacts;
use onbehalf_store::{ProblemRow, ITEM_SUBJECT_PREFIX};
use serde::Serialize;

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::syncing::tell::facts_of;
use crate::Onbehalf;

/// One open problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProblemEntry {
    /// Stable for the problem (its item or account, and its cause): what `dismiss` takes.
    pub id: String,
    /// A stable code (`owner_sync_off`, `no_crm_edit_access`, …).
    pub cause: String,
    /// The kind it is of, as the notification settings name them.
    pub kind: NoticeKind,
    /// What happened and what fixes it, for a person.
    pub message: String,
    /// Who can fix it ("You", the owner's name, "Your CRM administrator").
    pub who_can_fix: String,
    /// The owner it is about, by name, when it is about one owner's calendar as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub about: Option<String>,
    /// The item it is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub item: Option<ProblemItem>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

/// The item a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProblemItem {
    /// The calendar owner's address, and name.
    pub calendar: String,
    pub owner_name: String,
    pub id: String,
    pub subject: String,
    /// When it happens, for a person; empty when the item could not be read.
    pub when: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub web_link: Option<String>,
}

/// A problem's short, stable id: a hash of its subject and cause.
pub fn problem_id(subject: &str, cause: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in subject.bytes().chain([b'\n']).chain(cause.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:012x}", h & 0xffff_ffff_ffff)
}

impl Onbehalf {
    /// The open problems of the signed-in account's sync, oldest first. Each item is read from
    /// Exchange when it can be; with a sign-in expired or offline, the list is still given.
    pub async fn problems(&self) -> Result<Vec<ProblemEntry>, ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let rows = self.open_problems(&account.id).await?;
        let work = match rows
            .iter()
            .any(|r| r.subject.starts_with(ITEM_SUBJECT_PREFIX))
        {
            true => self.sync_work().await.ok(),
            false => None,
        };
        let names = self.owner_names(&account, work.as_ref()).await;
        let mut entries = Vec::with_capacity(rows.len());
        for row in &rows {
            let facts = facts_of(row, &names, work.as_ref().map(|w| &w.items)).await;
            entries.push(entry(row, facts));
        }
        Ok(entries)
    }

    /// Dismiss the open problem `id`: not shown or told again until something about it changes.
    pub async fn dismiss_problem(&self, id: &str) -> Result<(), ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let rows = self.open_problems(&account.id).await?;
        let Some(row) = rows
            .into_iter()
            .find(|r| problem_id(&r.subject, &r.cause) == id.trim())
        else {
            return Err(ServiceError::new(
                ErrorCode::Other,
                format!(
                    "There is no open problem {id}; it may be solved or dismissed already \
                     (`onbehalf problems` lists them)."
                ),
            ));
        };
        let store = self.store.clone();
        blocking("dismissing a problem", move || {
            store
                .sync_problems()
                .dismiss(&account.id, &row.subject, &row.cause, Utc::now())?;
            Ok(())
        })
        .await
    }

    async fn open_problems(&self, account_id: &str) -> Result<Vec<ProblemRow>, ServiceError> {
        let store = self.store.clone();
        let account = account_id.to_string();
        blocking("reading the open problems", move || {
            Ok(store.sync_problems().open(&account)?)
        })
        .await
    }
}

fn entry(row: &ProblemRow, facts: ProblemFacts) -> ProblemEntry {
    ProblemEntry {
        id: problem_id(&row.subject, &row.cause),
        cause: row.cause.clone(),
        kind: NoticeKind::of(&row.cause),
        message: facts.message,
        who_can_fix: who_can_fix(
            &row.cause,
            facts
                .item
                .as_ref()
                .map(|i| i.owner_name.as_str())
                .or(facts.about.as_deref())
                .unwrap_or("The owner"),
        ),
        about: facts.about,
        item: facts.item.map(|i| ProblemItem {
            calendar: i.owner,
            owner_name: i.owner_name,
            id: i.id,
            subject: i.subject,
            when: i.when,
            web_link: i.web_link,
        }),
        first_seen: row.raised_at,
        last_seen: row.updated_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problems_id_is_short_stable_and_its_own() {
        let a = problem_id("item:olivia@contoso.com/AAMk1", "owner_sync_off");
        assert_eq!(a.len(), 12);
        assert_eq!(
            a,
            problem_id("item:olivia@contoso.com/AAMk1", "owner_sync_off")
        );
        assert_ne!(
            a,
            problem_id("item:olivia@contoso.com/AAMk1", "no_crm_edit_access")
        );
        assert_ne!(
            a,
            problem_id("item:olivia@contoso.com/AAMk2", "owner_sync_off")
        );
    }
}
