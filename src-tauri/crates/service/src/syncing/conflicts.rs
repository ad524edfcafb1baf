//! Conflicts for `onbehalf conflicts` / `resolve` and the Conflicts view: the open ones with
//! both sides' values, what merges overwrote, resolving one by the side the user keeps, and
//! dismissing a notice of what was overwritten.

use chrono::Utc;
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_engine::sync::resolve::ResolveRefusal;
use onbehalf_sync::{ConflictsView, Resolved};

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::syncing::items::calendar_of;
use crate::syncing::run::sync_service_error;
use crate::Onbehalf;

impl Onbehalf {
    /// The open conflicts, each read afresh from both sides with the choices the user has,
    /// and what merges overwrote, newest first.
    pub async fn conflicts(&self) -> Result<ConflictsView, ServiceError> {
        let work = self.sync_work().await?;
        let _one_at_a_time = self.sync_runtime.cycle.lock().await;
        onbehalf_sync::conflicts(&work.items, &work.crm, &self.store, &work.ctx, Utc::now())
            .await
            .map_err(sync_service_error)
    }

    /// Resolve the conflict of an item of `calendar` (the user's own when `None`) by keeping
    /// `keep`'s values: the other side takes them, and the link moves on. Refused with the
    /// reason for a meeting when the CRM's values are to be kept, or when the user's rights do
    /// not allow the write.
    pub async fn resolve_conflict(
        &self,
        calendar: Option<&str>,
        item_id: &str,
        keep: Winner,
    ) -> Result<Resolved, ServiceError> {
        let work = self.sync_work().await?;
        let cal = calendar_of(&work.ctx, calendar)?;
        let id = item_id.trim();
        if id.is_empty() {
            return Err(ServiceError::new(
                ErrorCode::Other,
                "Name the item whose conflict to resolve.",
            ));
        }
        let key = ItemKey {
            owner: cal.owner.clone(),
            id: id.to_string(),
        };
        let _one_at_a_time = self.sync_runtime.cycle.lock().await;
        onbehalf_sync::resolve(
            &work.items,
            &work.crm,
            &self.store,
            &work.ctx,
            &key,
            keep,
            Utc::now(),
        )
        .await
        .map_err(sync_service_error)?
        .map_err(refused)
    }

    /// The user has read what a merge overwrote: the notice is no longer listed.
    pub async fn dismiss_overwrite(&self, id: i64) -> Result<(), ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let store = self.store.clone();
        let dismissed = blocking("dismissing a notice", move || {
            Ok(store
                .sync_overwrites()
                .dismiss(&account.id, id, Utc::now())?)
        })
        .await?;
        match dismissed {
            true => Ok(()),
            false => Err(ServiceError::new(
                ErrorCode::Other,
                format!("There is no notice {id} to dismiss; it may have been dismissed already."),
            )),
        }
    }
}

/// A refusal for a person. A refusal of the user's rights or of the rules (a meeting) is
/// `Refused`; nothing to resolve is not an error of rights.
fn refused(e: ResolveRefusal) -> ServiceError {
    let code = match &e {
        ResolveRefusal::Meeting | ResolveRefusal::Blocked { .. } => ErrorCode::Refused,
        ResolveRefusal::NoConflict | ResolveRefusal::NotShared => ErrorCode::Other,
    };
    ServiceError::new(code, e.to_string())
}
