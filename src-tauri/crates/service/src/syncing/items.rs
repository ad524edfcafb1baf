//! The items of one calendar as the Items view and `onbehalf items` show them: read from
//! Exchange with Onbehalf's marks, with the problems kept for each and what the user may do.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use onbehalf_engine::sync::port::{ItemSource, Window};
use onbehalf_engine::sync::view::{item_view, ItemView};
use onbehalf_store::{item_subject, ProblemRow};
use onbehalf_sync::{problem_view, Calendar, Context};

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::Onbehalf;

/// Which items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemsQuery {
    /// The owner's address; `None`: the user's own calendar.
    pub calendar: Option<String>,
    /// The span; `None`: the sync window around now.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl Onbehalf {
    /// The items of a calendar the sync covers, each with its share state and actions.
    pub async fn items(&self, query: &ItemsQuery) -> Result<Vec<ItemView>, ServiceError> {
        let work = self.sync_work().await?;
        let now = Utc::now();
        let cal = calendar_of(&work.ctx, query.calendar.as_deref())?;
        let window = window_of(&work.ctx, query, now)?;
        let found = work
            .items
            .items(&cal.owner, window)
            .await
            .map_err(ServiceError::from)?;
        let problems = self.item_problems(&work.ctx).await?;
        let actor = work.ctx.actor(cal, None, now);
        let mut views: Vec<ItemView> = found
            .iter()
            .map(|item| {
                let subject = item_subject(&item.key.owner, &item.key.id);
                let kept = problems
                    .get(&subject)
                    .map(|rows| {
                        rows.iter()
                            .map(|r| problem_view(r, &cal.owner_name))
                            .collect()
                    })
                    .unwrap_or_default();
                item_view(item, &actor, kept)
            })
            .collect();
        views.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        Ok(views)
    }

    /// The open problems of the account's items, by subject.
    async fn item_problems(
        &self,
        ctx: &Context,
    ) -> Result<BTreeMap<String, Vec<ProblemRow>>, ServiceError> {
        let store = self.store.clone();
        let id = ctx.account_id.clone();
        let rows = blocking("reading the sync problems", move || {
            Ok(store.sync_problems().open(&id)?)
        })
        .await?;
        let mut by_subject: BTreeMap<String, Vec<ProblemRow>> = BTreeMap::new();
        for row in rows {
            by_subject.entry(row.subject.clone()).or_default().push(row);
        }
        Ok(by_subject)
    }
}

/// The calendar asked for among those the sync covers, or why it is not one of them.
pub(crate) fn calendar_of<'c>(
    ctx: &'c Context,
    owner: Option<&str>,
) -> Result<&'c Calendar, ServiceError> {
    let owner = owner
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .unwrap_or(&ctx.me);
    ctx.calendar(owner).ok_or_else(|| {
        ServiceError::new(
            ErrorCode::Refused,
            format!(
                "Onbehalf does not share items of {owner}'s calendar: it shares items of your own \
                 calendar and of the owners' calendars whose items you can read. Refresh the \
                 calendar list if {owner} shared theirs with you just now."
            ),
        )
    })
}

fn window_of(ctx: &Context, q: &ItemsQuery, now: DateTime<Utc>) -> Result<Window, ServiceError> {
    let default = ctx.window(now);
    let window = Window {
        from: q.from.unwrap_or(default.from),
        to: q.to.unwrap_or(default.to),
    };
    if window.to <= window.from {
        return Err(ServiceError::new(
            ErrorCode::Other,
            "The end of the span must be after its start.",
        ));
    }
    if window.to - window.from > chrono::Duration::days(5 * 365) {
        return Err(ServiceError::new(
            ErrorCode::Other,
            "The span is longer than five years; choose a shorter one.",
        ));
    }
    Ok(window)
}
