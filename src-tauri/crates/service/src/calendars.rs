//! The calendar list: publish this user's status (only when it changed), discover every
//! reachable calendar, keep the result in the store and say what changed since last time.
//! Every store and keyring call runs on the blocking pool.

use std::collections::BTreeMap;

use chrono::{DurationRound, Utc};
use onbehalf_engine::discovery::{discover, Known};
use onbehalf_engine::doctor::{doctor, DoctorReport, OwnPublication};
use onbehalf_engine::ports::{CalendarSource, Me, SourceError};
use onbehalf_engine::publish::{publish_status, CrmIds, PublishInput, SyncState};
use onbehalf_engine::status_record::{RecordKeys, StatusRecord};
use onbehalf_engine::view::CalendarEntry;
use onbehalf_store::{Account, CalendarRow, ChangeKind, CrmAccount, RoleChange};

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::session::Session;
use crate::{Onbehalf, Refreshed, APP_VERSION};

impl Onbehalf {
    /// The calendars found by the last refresh, for showing at once on start.
    pub async fn cached_calendars(&self) -> Result<Vec<CalendarEntry>, ServiceError> {
        match self.current().await? {
            Some(account) => self.stored_calendars(&account).await,
            None => Ok(Vec::new()),
        }
    }

    pub(crate) async fn stored_calendars(
        &self,
        account: &Account,
    ) -> Result<Vec<CalendarEntry>, ServiceError> {
        let store = self.store.clone();
        let id = account.id.clone();
        let rows = blocking("reading the saved calendars", move || {
            Ok(store.calendars().list(&id)?)
        })
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| match serde_json::from_str(&r.entry_json) {
                Ok(e) => Some(e),
                Err(e) => {
                    tracing::warn!(error = %e, "skipping a stored calendar this version cannot read");
                    None
                }
            })
            .collect())
    }

    /// Publish this user's status when it changed, discover every calendar, store the list.
    #[tracing::instrument(skip_all, err)]
    pub async fn refresh(&self) -> Result<Refreshed, ServiceError> {
        let session = self.session().await?;
        // Owners may have joined the CRM or published their user since.
        self.sync_runtime.forget_owner_users();
        // Group membership, and so the profile, may have changed too.
        self.standing_cache.forget();
        let (calendars, _) = self.discover_all(&session).await?;
        let notices = self.keep(&session, &calendars).await?;
        self.sync_runtime.set_refreshed();
        Ok(Refreshed {
            calendars,
            notices,
            refreshed_at: Utc::now(),
        })
    }

    /// Add an owner by address and refresh.
    pub async fn add_owner(&self, address: &str) -> Result<Refreshed, ServiceError> {
        let address = valid_address(address)?;
        let account = self.session().await?.account;
        let store = self.store.clone();
        blocking("saving the owner you added", move || {
            store.owners().add(&account.id, &address)?;
            Ok(())
        })
        .await?;
        self.refresh().await
    }

    /// Remove an owner added by address and refresh. An owner policy has the user watch
    /// stays.
    pub async fn remove_owner(&self, address: &str) -> Result<Refreshed, ServiceError> {
        let account = self.session().await?.account;
        let store = self.store.clone();
        let address = address.trim().to_lowercase();
        if self.standing(&account).await?.owners.contains(&address) {
            return Err(ServiceError::new(
                ErrorCode::Locked,
                format!("{address} was added by your administrator and stays in your list."),
            ));
        }
        blocking("removing the owner you added", move || {
            store.owners().remove(&account.id, &address)?;
            Ok(())
        })
        .await?;
        self.refresh().await
    }

    /// The CRM sign-in of an account, if it has one.
    pub(crate) async fn crm_account_of(
        &self,
        account: &Account,
    ) -> Result<Option<CrmAccount>, ServiceError> {
        let store = self.store.clone();
        let id = account.id.clone();
        blocking("reading your CRM sign-in", move || {
            Ok(store.crm_accounts().get(&id)?)
        })
        .await
    }

    /// Owners the user added by address.
    pub async fn added_owners(&self) -> Result<Vec<String>, ServiceError> {
        match self.current().await? {
            Some(account) => self.owners_of(&account).await,
            None => Ok(Vec::new()),
        }
    }

    async fn owners_of(&self, account: &Account) -> Result<Vec<String>, ServiceError> {
        let store = self.store.clone();
        let id = account.id.clone();
        blocking("reading the owners you added", move || {
            Ok(store
                .owners()
                .list(&id)?
                .into_iter()
                .map(|o| o.address)
                .collect())
        })
        .await
    }

    /// The prerequisite checks, on a fresh discovery.
    pub async fn doctor(&self) -> Result<DoctorReport, ServiceError> {
        let session = self.session().await?;
        let (calendars, own) = self.discover_all(&session).await?;
        self.keep(&session, &calendars).await?;
        let mut report = doctor(&calendars, &own);
        report.checks.extend(self.crm_checks(&calendars).await?);
        let standing = self.standing(&session.account).await?;
        report
            .checks
            .extend(onbehalf_engine::policy::profile::checks(&standing.profile));
        Ok(report)
    }

    async fn discover_all(
        &self,
        session: &Session,
    ) -> Result<(Vec<CalendarEntry>, OwnPublication), ServiceError> {
        let source = &session.source;
        let account = &session.account;
        let now = Utc::now();
        let me = source.me().await?;
        let keys = self.record_keys(account).await?;
        let (record, own) = self.publish(session, &me, &keys).await?;
        let mut owners = self.owners_of(account).await?;
        owners.extend(self.standing(account).await?.owners);
        owners.sort();
        owners.dedup();
        let previous = self.stored_calendars(account).await?;
        let found = discover(
            source,
            &Known {
                own_record: record.as_ref(),
                keys: Some(&keys),
                added_owners: &owners,
                previous: &previous,
                now,
            },
        )
        .await?;
        Ok((found.calendars, own))
    }

    /// Publish this user's status record when it differs from what is on their calendar.
    async fn publish(
        &self,
        session: &Session,
        me: &Me,
        keys: &RecordKeys,
    ) -> Result<(Option<StatusRecord>, OwnPublication), ServiceError> {
        let account = &session.account;
        let last = self.last_publication(account).await?;
        let crm = self.crm_account_of(account).await?;
        let sync = self.published_sync_state(account).await?;
        let published = publish_status(
            &session.source,
            &PublishInput {
                me,
                app_version: APP_VERSION,
                sync,
                keys,
                last: last.as_ref(),
                crm: crm.as_ref().map(|c| CrmIds {
                    org_id: &c.org_id,
                    user_id: &c.user_id,
                }),
                now: Utc::now(),
            },
        )
        .await;
        match published {
            Ok(out) => {
                if out.written {
                    self.remember_publication(account, &out.fingerprint, out.record.published_at)
                        .await?;
                    tracing::info!("published the status record");
                }
                Ok((
                    Some(out.record),
                    OwnPublication::Published {
                        without_key: out.without_key,
                    },
                ))
            }
            Err(SourceError::SignInExpired) => Err(ServiceError::sign_in_required(
                "Your Microsoft 365 sign-in has expired. Sign in again.",
            )),
            Err(e) => {
                tracing::warn!(error = %e, "could not publish the status record");
                Ok((
                    None,
                    OwnPublication::Failed {
                        retryable: e.is_retryable(),
                        reason: e.to_string(),
                    },
                ))
            }
        }
    }

    /// Publish the sync's state when it changed since it was last published: turned on or off,
    /// or a run in a later hour (delegates see whether the owner's sync is alive; publishing
    /// every run would rewrite the record every few minutes).
    pub(crate) async fn publish_sync_state(&self) -> Result<(), ServiceError> {
        let Some(account) = self.current().await? else {
            return Ok(());
        };
        let state = self.published_sync_state(&account).await?;
        if self.sync_runtime.published() == Some(state) {
            return Ok(());
        }
        let session = self.session().await?;
        let me = session.source.me().await?;
        let keys = self.record_keys(&account).await?;
        if let (Some(_), _) = self.publish(&session, &me, &keys).await? {
            self.sync_runtime.set_published(state);
        }
        Ok(())
    }

    /// The sync state as published: on or off, and the last run to the hour.
    async fn published_sync_state(&self, account: &Account) -> Result<SyncState, ServiceError> {
        let store = self.store.clone();
        let id = account.id.clone();
        blocking("reading the sync state", move || {
            let on = crate::syncing::settings::load(&store, &id)?.on;
            let last_run = crate::syncing::settings::last_run(&store, &id)?
                .and_then(|t| t.duration_trunc(chrono::Duration::hours(1)).ok());
            Ok(SyncState { on, last_run })
        })
        .await
    }

    /// Store the new list in one transaction and word what changed.
    async fn keep(
        &self,
        session: &Session,
        calendars: &[CalendarEntry],
    ) -> Result<Vec<String>, ServiceError> {
        let now = Utc::now();
        let rows = calendars
            .iter()
            .map(|c| {
                serde_json::to_string(c)
                    .map(|json| CalendarRow {
                        owner_address: c.owner.clone(),
                        calendar_key: c.key.clone(),
                        name: c.name.clone(),
                        entry_json: json,
                        graph_role: Some(c.permission.graph.clone()),
                        source: serde_json::to_value(c.permission.source)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        seen_at: now,
                    })
                    .map_err(|e| ServiceError::new(ErrorCode::Other, e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let store = self.store.clone();
        let account_id = session.account.id.clone();
        blocking("saving the calendar list", move || {
            let table = store.calendars();
            let before = table.list(&account_id)?;
            let notices = match before.is_empty() {
                true => Vec::new(),
                false => {
                    let names: BTreeMap<&str, &str> = before
                        .iter()
                        .chain(rows.iter())
                        .map(|r| (r.calendar_key.as_str(), r.name.as_str()))
                        .collect();
                    table
                        .changes(&account_id, &rows)?
                        .into_iter()
                        .map(|c| {
                            let name = names.get(c.calendar_key.as_str()).copied().unwrap_or("");
                            notice(&c, name)
                        })
                        .collect()
                }
            };
            table.replace_all(&account_id, &rows)?;
            Ok(notices)
        })
        .await
    }
}

fn notice(c: &RoleChange, name: &str) -> String {
    let owner = &c.owner_address;
    let role = |r: &Option<String>| r.clone().unwrap_or_else(|| "unknown".to_string());
    match c.kind {
        ChangeKind::Appeared => format!(
            "You can now reach {owner}'s calendar \"{name}\" ({}).",
            role(&c.after)
        ),
        ChangeKind::Vanished => {
            format!("You no longer have access to {owner}'s calendar \"{name}\".")
        }
        ChangeKind::RoleChanged => format!(
            "Your permission on {owner}'s calendar \"{name}\" changed from {} to {}.",
            role(&c.before),
            role(&c.after)
        ),
    }
}

fn valid_address(address: &str) -> Result<String, ServiceError> {
    let a = address.trim().to_lowercase();
    let ok = a.len() <= 320
        && !a.contains(char::is_whitespace)
        && a.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'));
    match ok {
        true => Ok(a),
        false => Err(ServiceError::invalid_input(format!(
            "\"{}\" is not an e-mail address: add an owner by their address, like \
             name@example.com.",
            address.trim()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_is_added_by_an_address_and_anything_else_is_a_typing_slip() {
        assert_eq!(
            valid_address(" Emma.Chen@Contoso.com ").ok().as_deref(),
            Some("emma.chen@contoso.com")
        );
        for not_one in [
            "not-an-address",
            "emma@",
            "@contoso.com",
            "emma@contoso",
            "a b@c.d",
        ] {
            let e = valid_address(not_one).expect_err(not_one);
            assert_eq!(e.code, ErrorCode::InvalidInput, "{not_one}");
            assert!(e.message.contains("is not an e-mail address"), "{e}");
        }
    }
}
