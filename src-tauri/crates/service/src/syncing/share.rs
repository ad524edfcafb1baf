//! Share and Unshare: the user's intent is kept, recorded on the item, and, with insta-sync,
//! carried out by a cycle at once.

use chrono::Utc;
use onbehalf_engine::crm::{Crm, CrmRecord};
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_engine::sync::view::{item_view, ItemView};
use onbehalf_store::item_subject;
use onbehalf_sync::{problem_view, Mode};
use serde::Serialize;

use crate::blocking::blocking;
use crate::crm::crm_service_error;
use crate::error::{ErrorCode, ServiceError};
use crate::syncing::items::calendar_of;
use crate::syncing::run::{sync_service_error, SyncRun, Work};
use crate::Onbehalf;

/// What a share or an unshare did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShareOutcome {
    /// The item as it stands now (absent when it can no longer be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub item: Option<ItemView>,
    /// The share waits for the calendar owner's Onbehalf.
    pub waits_for_owner: bool,
    /// Said to the user at once (e.g. that the owner's sync is off).
    pub notes: Vec<String>,
    /// The cycle insta-sync ran, when it ran one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub synced: Option<SyncRun>,
}

impl Onbehalf {
    /// Share an item of `calendar` (the user's own when `None`), linked to the CRM records
    /// with these ids (one contact or lead, one account, opportunity or case).
    pub async fn share_item(
        &self,
        calendar: Option<&str>,
        item_id: &str,
        record_ids: &[String],
    ) -> Result<ShareOutcome, ServiceError> {
        let work = self.sync_work().await?;
        let key = item_key(&work, calendar, item_id)?;
        let (who, what) = records(&work.crm, record_ids).await?;
        let done = {
            let _one_at_a_time = self.sync_runtime.cycle.lock().await;
            onbehalf_sync::share(
                &work.items,
                &self.store,
                &work.ctx,
                &key,
                who,
                what,
                Utc::now(),
            )
            .await
            .map_err(sync_service_error)?
            .map_err(refused)?
        };
        let synced = self.insta_sync().await;
        Ok(ShareOutcome {
            item: self.item_view_of(&work, &key).await?,
            waits_for_owner: done.waits_for_owner,
            notes: done.notes,
            synced,
        })
    }

    /// Unshare an item: its CRM event is deleted and the item unlinked (the meeting stays), or
    /// a share still waiting is withdrawn.
    pub async fn unshare_item(
        &self,
        calendar: Option<&str>,
        item_id: &str,
    ) -> Result<ShareOutcome, ServiceError> {
        let work = self.sync_work().await?;
        let key = item_key(&work, calendar, item_id)?;
        {
            let _one_at_a_time = self.sync_runtime.cycle.lock().await;
            onbehalf_sync::unshare(
                &work.items,
                &work.crm,
                &self.store,
                &work.ctx,
                &key,
                Utc::now(),
            )
            .await
            .map_err(sync_service_error)?
            .map_err(refused)?;
        }
        Ok(ShareOutcome {
            item: self.item_view_of(&work, &key).await?,
            waits_for_owner: false,
            notes: Vec::new(),
            synced: None,
        })
    }

    /// With insta-sync on (and sync on), run a cycle now; a failure is logged, not returned:
    /// the share itself is kept and the scheduled sync tries again.
    async fn insta_sync(&self) -> Option<SyncRun> {
        let settings = self.sync_settings().await.ok()?;
        if !(settings.on && settings.insta_sync) {
            return None;
        }
        match self.sync_once(Mode::Execute).await {
            Ok(run) => Some(run),
            Err(e) => {
                tracing::warn!(error = %e, "the sync after a share stopped; it is tried again");
                self.wake_sync();
                None
            }
        }
    }

    /// One item as the Items view shows it, read afresh.
    async fn item_view_of(
        &self,
        work: &Work,
        key: &ItemKey,
    ) -> Result<Option<ItemView>, ServiceError> {
        let Some(item) = work.items.item(key).await.map_err(ServiceError::from)? else {
            return Ok(None);
        };
        let cal = calendar_of(&work.ctx, Some(&key.owner))?;
        let store = self.store.clone();
        let account = work.ctx.account_id.clone();
        let subject = item_subject(&key.owner, &key.id);
        let rows = blocking("reading the item's problems", move || {
            Ok(store
                .sync_problems()
                .open(&account)?
                .into_iter()
                .filter(|p| p.subject == subject)
                .collect::<Vec<_>>())
        })
        .await?;
        let problems = rows
            .iter()
            .map(|r| problem_view(r, &cal.owner_name))
            .collect();
        let actor = work.ctx.actor(cal, None, Utc::now());
        Ok(Some(item_view(&item, &actor, problems)))
    }
}

fn item_key(work: &Work, calendar: Option<&str>, item_id: &str) -> Result<ItemKey, ServiceError> {
    let cal = calendar_of(&work.ctx, calendar)?;
    let id = item_id.trim();
    if id.is_empty() {
        return Err(ServiceError::new(
            ErrorCode::Other,
            "Name the item to share.",
        ));
    }
    Ok(ItemKey {
        owner: cal.owner.clone(),
        id: id.to_string(),
    })
}

/// The records with these ids: at most one contact or lead and one account, opportunity or
/// case. An id the CRM does not know (or does not show the user) is refused by name.
async fn records<C: Crm>(
    crm: &C,
    ids: &[String],
) -> Result<(Option<CrmRecord>, Option<CrmRecord>), ServiceError> {
    let ids: Vec<String> = ids
        .iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect();
    if ids.is_empty() {
        return Ok((None, None));
    }
    let found = crm.records(&ids).await.map_err(crm_service_error)?;
    let mut who: Option<CrmRecord> = None;
    let mut what: Option<CrmRecord> = None;
    for id in &ids {
        let record = found.iter().find(|r| &r.id == id).ok_or_else(|| {
            ServiceError::new(
                ErrorCode::Refused,
                format!("There is no CRM record {id}, or it is not shared with you."),
            )
        })?;
        let slot = match record.kind.is_person() {
            true => &mut who,
            false => &mut what,
        };
        if let Some(first) = slot.as_ref() {
            return Err(ServiceError::new(
                ErrorCode::Refused,
                format!(
                    "A share links one contact or lead and one account, opportunity or case; \
                     \"{}\" and \"{}\" are of the same kind. Choose one of them.",
                    first.name, record.name
                ),
            ));
        }
        *slot = Some(record.clone());
    }
    Ok((who, what))
}

fn refused(e: onbehalf_engine::sync::share::ShareRefusal) -> ServiceError {
    ServiceError::new(ErrorCode::Refused, e.to_string())
}
