//! [`SimCrm`]: one signed-in CRM user's view of the simulated CRM through the engine's `Crm`
//! port. Every call passes the app's fault gate first; in a batch, each record may also find
//! its row locked (`UNABLE_TO_LOCK_ROW`, a transient refusal of that record alone).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{
    ApiBudget, Changes, Crm, CrmError, CrmEvent, CrmIdentity, CrmRecord, CrmUser, EventAccess,
    ItemResult,
};
use onbehalf_engine::sync::hash::FieldHashes;
use onbehalf_engine::sync::plan::fields_of;
use rand::Rng;
use tokio::sync::Notify;

use crate::faults::{through_gate, Side};
use crate::people::{records, AppId, ORG};
use crate::world::{SyncWrite, World, WorldState};

/// One app's CRM.
#[derive(Debug, Clone)]
pub struct SimCrm {
    world: World,
    app: AppId,
    crash: Arc<Notify>,
}

impl SimCrm {
    pub fn new(world: World, app: AppId, crash: Arc<Notify>) -> SimCrm {
        SimCrm { world, app, crash }
    }

    fn me(&self) -> &'static str {
        self.app.crm_user()
    }

    /// One port call: the gate, then `f` on the world, then what the gate asked for after.
    async fn call<T>(
        &self,
        write: bool,
        f: impl FnOnce(&mut WorldState) -> Result<T, CrmError>,
    ) -> Result<T, CrmError> {
        through_gate(&self.world, self.app, Side::Crm, &self.crash, write, f).await
    }

    /// A CRM write for an item the user may not share (a Reviewer, an Author on another's
    /// item, a private item without private-items access) is a violation: Onbehalf must leave
    /// it to someone who may.
    fn check_right(w: &mut WorldState, app: AppId, item: Option<&str>) {
        let Some(item) =
            item.and_then(|id| w.exchange.mailboxes.values().find_map(|m| m.items.get(id)))
        else {
            return;
        };
        if let Err(reason) = w.exchange.may_change(app.address(), item) {
            let line = format!(
                "CRM write beyond rights: {} wrote the event of item {} ({reason})",
                app.short(),
                item.id
            );
            w.log.violations.push(line);
        }
    }

    /// One record of a write batch: maybe locked, else done by `f`; logged.
    fn record<T: std::fmt::Debug>(
        w: &mut WorldState,
        app: AppId,
        what: String,
        f: impl FnOnce(&mut WorldState) -> ItemResult<T>,
    ) -> ItemResult<T> {
        let busy = w.faults.get(&app).map_or(0, |f| f.busy_per_mille);
        let locked = busy > 0 && w.rng.gen_range(0..2000) < busy;
        let result = match locked {
            true => Err(CrmError::Transient {
                message: "UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record"
                    .to_string(),
            }),
            false => f(w),
        };
        w.log.note(format!("{} {what}: {result:?}", app.short()));
        let counts = w.log.of(app);
        counts.crm_writes += 1;
        if result.is_err() {
            counts.crm_refused += 1;
        }
        result
    }
}

impl SimCrm {
    /// The live event made for an item, and its fields' hashes, before a write.
    fn hashes_of(w: &WorldState, item: Option<&str>) -> Option<(String, FieldHashes)> {
        let e = w.crm.made_for(item?)?;
        Some((e.id.clone(), FieldHashes::of(&fields_of(&e.to_event()))))
    }

    /// Tell the oracle what a successful write made of an event's fields.
    fn follow(w: &mut WorldState, written: Option<&String>, before: Option<(String, FieldHashes)>) {
        let Some(rec) = written.and_then(|id| w.crm.events.get(id)) else {
            return;
        };
        let Some(item) = rec.external_id.clone() else {
            return;
        };
        let after = FieldHashes::of(&fields_of(&rec.to_event()));
        let before = match before {
            Some((id, h)) if id == rec.id => h,
            // A new event: every field was written.
            Some(_) | None => return,
        };
        w.log.sync_writes.push(SyncWrite::Fields {
            item,
            event: Some(rec.id.clone()),
            before,
            after,
        });
    }
}

impl Crm for SimCrm {
    async fn me(&self) -> Result<CrmIdentity, CrmError> {
        let app = self.app;
        self.call(false, |_| {
            Ok(CrmIdentity {
                org_id: ORG.to_string(),
                user_id: app.crm_user().to_string(),
                name: app.name().to_string(),
                email: app.address().to_string(),
                instance_url: "https://contoso.my.salesforce.sim".to_string(),
            })
        })
        .await
    }

    async fn find_user(&self, email: &str) -> Result<Option<CrmUser>, CrmError> {
        self.call(false, |_| {
            Ok(AppId::of_address(email).map(|a| CrmUser {
                id: a.crm_user().to_string(),
                name: a.name().to_string(),
                email: a.address().to_string(),
                active: true,
            }))
        })
        .await
    }

    async fn read_events(&self, ids: &[String]) -> Result<Vec<ItemResult<CrmEvent>>, CrmError> {
        let me = self.me();
        self.call(false, |w| Ok(w.crm.read(me, ids))).await
    }

    async fn create_events(
        &self,
        events: &[CrmEvent],
    ) -> Result<Vec<ItemResult<String>>, CrmError> {
        let (me, app) = (self.me(), self.app);
        self.call(true, |w| {
            Ok(events
                .iter()
                .map(|e| {
                    let what = format!(
                        "create {:?} for {:?} owner {} private {}",
                        e.subject, e.external_id, e.owner_id, e.is_private
                    );
                    Self::check_right(w, app, e.external_id.as_deref());
                    Self::record(w, app, what, |w| {
                        let now = w.now;
                        let before = Self::hashes_of(w, e.external_id.as_deref());
                        let r = w.crm.create(me, e, now);
                        Self::follow(w, r.as_ref().ok(), before);
                        r
                    })
                })
                .collect())
        })
        .await
    }

    async fn update_events(&self, events: &[CrmEvent]) -> Result<Vec<ItemResult<()>>, CrmError> {
        let (me, app) = (self.me(), self.app);
        self.call(true, |w| {
            Ok(events
                .iter()
                .map(|e| {
                    let what = format!(
                        "update {:?} ({:?}) to {:?} {:?}",
                        e.id, e.external_id, e.subject, e.time
                    );
                    Self::check_right(w, app, e.external_id.as_deref());
                    Self::record(w, app, what, |w| {
                        let now = w.now;
                        let before = e
                            .id
                            .as_ref()
                            .and_then(|id| w.crm.events.get(id))
                            .filter(|r| r.is_live())
                            .map(|r| (r.id.clone(), FieldHashes::of(&fields_of(&r.to_event()))));
                        let r = w.crm.update(me, e, now);
                        Self::follow(w, r.as_ref().ok().and(e.id.as_ref()), before);
                        r
                    })
                })
                .collect())
        })
        .await
    }

    async fn delete_events(&self, ids: &[String]) -> Result<Vec<ItemResult<()>>, CrmError> {
        let (me, app) = (self.me(), self.app);
        self.call(true, |w| {
            Ok(ids
                .iter()
                .map(|id| {
                    let item = w.crm.events.get(id).and_then(|e| e.external_id.clone());
                    Self::check_right(w, app, item.as_deref());
                    Self::record(w, app, format!("delete {id}"), |w| {
                        let now = w.now;
                        w.crm.delete(me, id, now)
                    })
                })
                .collect())
        })
        .await
    }

    async fn events_for_items(&self, item_ids: &[String]) -> Result<Vec<CrmEvent>, CrmError> {
        let me = self.me();
        self.call(false, |w| Ok(w.crm.for_items(me, item_ids)))
            .await
    }

    async fn keeps_item_ids(&self) -> Result<bool, CrmError> {
        self.call(false, |w| Ok(!w.crm.without_item_ids)).await
    }

    async fn made_since(
        &self,
        owner_id: &str,
        creator_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<CrmEvent>, CrmError> {
        let me = self.me();
        self.call(false, |w| {
            Ok(w.crm.made_since(me, owner_id, creator_id, since))
        })
        .await
    }

    async fn changes_since(&self, cursor: Option<DateTime<Utc>>) -> Result<Changes, CrmError> {
        let me = self.me();
        self.call(false, |w| Ok(w.crm.changes(me, cursor, w.now)))
            .await
    }

    async fn events_of(&self, owner_id: &str, limit: usize) -> Result<Vec<String>, CrmError> {
        let me = self.me();
        self.call(false, |w| Ok(w.crm.events_of(me, owner_id, limit)))
            .await
    }

    async fn access(
        &self,
        user_id: &str,
        event_ids: &[String],
    ) -> Result<Vec<(String, EventAccess)>, CrmError> {
        let me = self.me();
        self.call(false, |w| Ok(w.crm.access_of(me, user_id, event_ids)))
            .await
    }

    async fn search(&self, text: &str) -> Result<Vec<CrmRecord>, CrmError> {
        let text = text.to_lowercase();
        self.call(false, |_| {
            Ok(records()
                .into_iter()
                .filter(|r| r.name.to_lowercase().contains(&text))
                .collect())
        })
        .await
    }

    async fn match_addresses(&self, _addresses: &[String]) -> Result<Vec<CrmRecord>, CrmError> {
        self.call(false, |_| Ok(Vec::new())).await
    }

    async fn records(&self, ids: &[String]) -> Result<Vec<CrmRecord>, CrmError> {
        self.call(false, |_| {
            Ok(records()
                .into_iter()
                .filter(|r| ids.contains(&r.id))
                .collect())
        })
        .await
    }

    async fn profile_names(&self, user_id: &str) -> Result<Vec<String>, CrmError> {
        self.call(false, |w| {
            let mut names = w.crm.profiles.get(user_id).cloned().unwrap_or_default();
            names.sort();
            names.dedup();
            Ok(names)
        })
        .await
    }

    async fn budget(&self) -> Result<ApiBudget, CrmError> {
        self.call(false, |_| {
            Ok(ApiBudget {
                remaining: 100_000,
                max: 100_000,
            })
        })
        .await
    }
}
