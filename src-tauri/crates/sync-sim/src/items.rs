//! [`SimItems`]: one signed-in user's view of the simulated Exchange through the engine's
//! `ItemSource` port. Every call passes the app's fault gate first; writes are refused as
//! Graph refuses them, and a write the user's rights do not allow is also logged as an
//! invariant violation; so is a change to a meeting's fields, which Graph would make and mail
//! to every attendee, and which is refused here. The sync must never attempt either.

use std::sync::Arc;

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::hash::FieldHashes;
use onbehalf_engine::sync::marks::Marks;
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey};
use onbehalf_engine::sync::port::{ItemChanges, ItemSource, Versions, Window};
use tokio::sync::Notify;

use crate::exchange::{Refused, Write};
use crate::faults::{through_gate, Side};
use crate::people::AppId;
use crate::world::{SyncWrite, World, WorldState};

/// One app's Exchange.
#[derive(Debug, Clone)]
pub struct SimItems {
    world: World,
    app: AppId,
    crash: Arc<Notify>,
}

impl SimItems {
    pub fn new(world: World, app: AppId, crash: Arc<Notify>) -> SimItems {
        SimItems { world, app, crash }
    }

    fn me(&self) -> &'static str {
        self.app.address()
    }

    /// One port call: the gate, then `f` on the world, then what the gate asked for after.
    async fn call<T>(
        &self,
        write: bool,
        f: impl FnOnce(&mut WorldState) -> Result<T, SourceError>,
    ) -> Result<T, SourceError> {
        through_gate(&self.world, self.app, Side::Exchange, &self.crash, write, f).await
    }

    /// Log a write, and a refusal for lack of rights as a violation.
    fn write_outcome(
        w: &mut WorldState,
        app: AppId,
        result: Result<String, Box<Refused>>,
    ) -> Result<String, SourceError> {
        let counts = w.log.of(app);
        counts.exchange_writes += 1;
        match result {
            Ok(v) => Ok(v),
            Err(refused) => {
                let Refused {
                    error,
                    beyond_rights,
                } = *refused;
                counts.exchange_refused += 1;
                if matches!(error, SourceError::Conflict { .. }) {
                    counts.exchange_conflicts += 1;
                }
                if let Some(r) = beyond_rights {
                    w.log.violations.push(format!("write beyond rights: {r}"));
                }
                Err(error)
            }
        }
    }
}

impl ItemSource for SimItems {
    async fn items(&self, owner: &str, window: Window) -> Result<Vec<ExItem>, SourceError> {
        let me = self.me();
        self.call(false, |w| w.exchange.list(me, owner, window))
            .await
    }

    async fn own_changes(
        &self,
        window: Window,
        cursor: Option<&str>,
    ) -> Result<ItemChanges, SourceError> {
        let (me, app) = (self.me(), self.app);
        self.call(false, |w| {
            let r = w.exchange.delta(me, window, cursor);
            w.log.note(format!(
                "{} delta from {cursor:?}: {}",
                app.short(),
                match &r {
                    Ok(c) => format!(
                        "{} changed, removed {:?}, next {}",
                        c.changed.len(),
                        c.removed,
                        c.cursor
                    ),
                    Err(e) => format!("{e}"),
                }
            ));
            r
        })
        .await
    }

    async fn versions(
        &self,
        owners: &[String],
        window: Window,
    ) -> Result<Vec<Result<Versions, SourceError>>, SourceError> {
        let me = self.me();
        self.call(false, |w| Ok(w.exchange.versions(me, owners, window)))
            .await
    }

    async fn item(&self, key: &ItemKey) -> Result<Option<ExItem>, SourceError> {
        let me = self.me();
        self.call(false, |w| Ok(w.exchange.get(me, key))).await
    }

    async fn write_marks(
        &self,
        key: &ItemKey,
        version: &str,
        marks: &Marks,
    ) -> Result<String, SourceError> {
        let (me, app) = (self.me(), self.app);
        self.call(true, |w| {
            let r = w.exchange.write(me, key, version, Write::Marks(marks));
            if let (Ok(_), Some(Some(link))) = (&r, &marks.link) {
                if let Some(now) = w.exchange.get(me, key) {
                    w.log.sync_writes.push(SyncWrite::Base {
                        item: key.id.clone(),
                        event: link.event_id.clone(),
                        synced: link.synced.clone(),
                        item_now: FieldHashes::of(&now.fields),
                    });
                }
            }
            let line = format!(
                "{} write_marks {} at {version} (categories {:?}, link {}, pending {}): {:?}",
                app.short(),
                key.id,
                marks.categories,
                match &marks.link {
                    None => "kept".to_string(),
                    Some(None) => "removed".to_string(),
                    Some(Some(l)) => format!("to {}", l.event_id),
                },
                match &marks.pending {
                    None => "kept",
                    Some(None) => "removed",
                    Some(Some(_)) => "set",
                },
                r.as_ref().map_err(|e| &e.error)
            );
            w.log.note(line);
            Self::write_outcome(w, app, r)
        })
        .await
    }

    async fn write_fields(
        &self,
        key: &ItemKey,
        version: &str,
        fields: &Fields,
    ) -> Result<String, SourceError> {
        let (me, app) = (self.me(), self.app);
        self.call(true, |w| {
            // Graph would take it and mail every attendee an update; the simulation refuses it
            // (nobody is mailed) and the run fails on the violation.
            let meeting = w
                .exchange
                .item(&key.owner, &key.id)
                .is_some_and(|i| i.is_meeting() && i.is_live());
            if meeting {
                w.log.violations.push(format!(
                    "meeting changed: {me} wrote the fields of meeting {} (its attendees would \
                     be mailed)",
                    key.id
                ));
                w.log.of(app).exchange_writes += 1;
                return Err(SourceError::Other {
                    code: "WouldMailAttendees".to_string(),
                    message: "changing a meeting's fields mails its attendees".to_string(),
                });
            }
            let before = w
                .exchange
                .item(&key.owner, &key.id)
                .map(|i| FieldHashes::of(&i.fields));
            let r = w.exchange.write(me, key, version, Write::Fields(fields));
            if let (Ok(_), Some(before)) = (&r, before) {
                w.log.sync_writes.push(SyncWrite::Fields {
                    item: key.id.clone(),
                    event: None,
                    before,
                    after: FieldHashes::of(fields),
                });
            }
            w.log.note(format!(
                "{} write_fields {} at {version} ({fields:?}): {:?}",
                app.short(),
                key.id,
                r.as_ref().map_err(|e| &e.error)
            ));
            Self::write_outcome(w, app, r)
        })
        .await
    }

    async fn create_item(
        &self,
        fields: &Fields,
        is_private: bool,
        marks: &Marks,
    ) -> Result<ExItem, SourceError> {
        let (me, app) = (self.me(), self.app);
        self.call(true, |w| {
            w.log.of(app).exchange_writes += 1;
            let made = w.exchange.create_own(me, fields, is_private, marks);
            // An item made with its link (an event brought in from the CRM) is paired from
            // the start, on the link's base.
            if let (Ok(item), Some(Some(link))) = (&made, &marks.link) {
                w.log.sync_writes.push(SyncWrite::Base {
                    item: item.key.id.clone(),
                    event: link.event_id.clone(),
                    synced: link.synced.clone(),
                    item_now: FieldHashes::of(&item.fields),
                });
            }
            made
        })
        .await
    }

    async fn ensure_category(&self, name: &str) -> Result<(), SourceError> {
        let (me, app) = (self.me(), self.app);
        self.call(false, |w| {
            if w.exchange.ensure_category(me, name)? {
                w.log.of(app).exchange_writes += 1;
            }
            Ok(())
        })
        .await
    }
}
