//! [`SalesforceCrm`]: the engine's [`Crm`] port over the Salesforce client.

mod changes;
mod errors;
mod events;
mod lookup;
mod profiles;
mod queries;
mod records;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{
    ApiBudget, Changes, Crm, CrmError, CrmEvent, CrmIdentity, CrmRecord, CrmUser, EventAccess,
    ItemResult,
};

pub use errors::crm_error;

use crate::api::ItemOutcome;
use crate::client::SalesforceError;
use crate::models::format_datetime;
use crate::models::{
    EventFields, EventRecord, ObjectDescribe, SObject, UserRecord, EVENT_FIELDS, EXTERNAL_ID_FIELD,
};
use crate::soql::{in_list, is_id, quote};
use crate::SalesforceClient;
use events::{from_record, to_fields};

/// Ids per `IN (…)` list; SOQL statements stay well below Salesforce's length limit.
pub(crate) const IDS_PER_QUERY: usize = 200;
/// Exchange item ids in one SOQL `IN` list: about 150 characters each, 400 keep a query well
/// within SOQL's 100,000 characters, and five such queries (one Composite call) cover 2,000
/// items.
const ITEM_IDS_PER_QUERY: usize = 400;
/// The most events `events_of` reads (one query batch).
const MAX_EVENTS_OF: usize = 2000;
/// The most events `made_since` reads.
const MAX_MADE_SINCE: usize = 2000;

/// The time now; injected so tests can place "now" anywhere.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Salesforce, as the signed-in Salesforce user sees it.
#[derive(Clone)]
pub struct SalesforceCrm {
    client: SalesforceClient,
    clock: Clock,
    /// Whether the org's Event has Onbehalf's external-id field: learnt once, from a describe
    /// sent alone or along with the first look for events by item id.
    item_ids: Arc<Mutex<Option<bool>>>,
}

impl std::fmt::Debug for SalesforceCrm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SalesforceCrm")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl SalesforceCrm {
    pub fn new(client: SalesforceClient) -> SalesforceCrm {
        SalesforceCrm {
            client,
            clock: Arc::new(Utc::now),
            item_ids: Arc::default(),
        }
    }

    /// The same port with another clock.
    pub fn with_clock(self, clock: Clock) -> SalesforceCrm {
        SalesforceCrm { clock, ..self }
    }

    pub fn client(&self) -> &SalesforceClient {
        &self.client
    }

    /// Whether this org's Event has Onbehalf's external-id field (`Onbehalf_Exchange_Id__c`,
    /// from Onbehalf's CRM package); without it the field is neither read nor written.
    async fn item_ids_kept(&self) -> Result<bool, CrmError> {
        if let Some(kept) = self.known_item_ids() {
            return Ok(kept);
        }
        let describe = self
            .client
            .sobjects(SObject::Event)
            .describe()
            .send()
            .await
            .map_err(fail)?;
        Ok(self.learn_item_ids(&describe))
    }

    fn known_item_ids(&self) -> Option<bool> {
        *self.item_ids.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keep what Event's describe says about Onbehalf's field.
    fn learn_item_ids(&self, describe: &ObjectDescribe) -> bool {
        let kept = describe
            .field(EXTERNAL_ID_FIELD)
            .is_some_and(|f| f.external_id);
        *self.item_ids.lock().unwrap_or_else(PoisonError::into_inner) = Some(kept);
        kept
    }

    /// The Event fields to read: the external id only where the org has it.
    async fn event_fields(&self) -> Result<String, CrmError> {
        let kept = self.item_ids_kept().await?;
        Ok(EVENT_FIELDS
            .iter()
            .filter(|f| kept || **f != EXTERNAL_ID_FIELD)
            .copied()
            .collect::<Vec<_>>()
            .join(", "))
    }

    /// `event`'s fields to write, without the external id where the org lacks the field.
    async fn fields_to_write(
        &self,
        events: &[CrmEvent],
        creating: bool,
    ) -> Result<Vec<Result<EventFields, CrmError>>, CrmError> {
        let mut prepared: Vec<_> = events.iter().map(|e| to_fields(e, creating)).collect();
        // Nothing to send, nothing to ask.
        let carries_id = prepared
            .iter()
            .any(|p| p.as_ref().is_ok_and(|f| f.exchange_id.is_some()));
        if carries_id && !self.item_ids_kept().await? {
            for fields in prepared.iter_mut().flatten() {
                fields.exchange_id = None;
            }
        }
        Ok(prepared)
    }
}

fn fail(e: SalesforceError) -> CrmError {
    crm_error(&e)
}

/// Results of a batch in which some inputs were refused before sending: the sent ones'
/// outcomes go back into their places.
fn merge<T, P>(
    prepared: Vec<Result<P, CrmError>>,
    sent: Vec<ItemOutcome<T>>,
) -> Vec<ItemResult<T>> {
    let mut sent = sent.into_iter();
    prepared
        .into_iter()
        .map(|p| match p {
            Err(e) => Err(e),
            Ok(_) => match sent.next() {
                Some(outcome) => outcome.map_err(|e| crm_error(&e)),
                None => Err(CrmError::Other {
                    code: "NO_RESULT".to_string(),
                    message: "no result came back for this event".to_string(),
                }),
            },
        })
        .collect()
}

/// Salesforce gives 18-character ids; callers may hold the 15-character form.
pub(crate) fn id_key(id: &str) -> &str {
    id.get(..15).unwrap_or(id)
}

impl Crm for SalesforceCrm {
    #[tracing::instrument(skip_all, err)]
    async fn me(&self) -> Result<CrmIdentity, CrmError> {
        let access = self.client.access().await.map_err(fail)?;
        let identity = self.client.identity().send().await.map_err(fail)?;
        Ok(CrmIdentity {
            org_id: identity.organization_id,
            user_id: identity.user_id,
            name: identity.display_name,
            email: identity.email,
            instance_url: access
                .instance_url
                .as_str()
                .trim_end_matches('/')
                .to_string(),
        })
    }

    #[tracing::instrument(skip_all, err)]
    async fn find_user(&self, email: &str) -> Result<Option<CrmUser>, CrmError> {
        let soql = format!(
            "SELECT {} FROM User WHERE Email = {} AND IsActive = true AND UserType = 'Standard' \
             ORDER BY CreatedDate LIMIT 2",
            SObject::User.link_fields().join(", "),
            quote(email.trim())
        );
        let users: Vec<UserRecord> = self.client.query(soql).all().await.map_err(fail)?;
        if users.len() > 1 {
            tracing::warn!("two active users share the owner's address; the oldest is taken");
        }
        Ok(users.into_iter().next().map(|u| CrmUser {
            id: u.id,
            name: u.name.unwrap_or_default(),
            email: u.email.unwrap_or_default(),
            active: u.is_active,
        }))
    }

    #[tracing::instrument(skip_all, err)]
    async fn read_events(&self, ids: &[String]) -> Result<Vec<ItemResult<CrmEvent>>, CrmError> {
        let valid: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| is_id(id))
            .collect();
        let mut found: HashMap<String, EventRecord> = HashMap::new();
        let fields = match valid.is_empty() {
            true => String::new(),
            false => self.event_fields().await?,
        };
        for chunk in valid.chunks(IDS_PER_QUERY) {
            let Some(list) = in_list(chunk.iter().copied()) else {
                continue;
            };
            let soql = format!("SELECT {fields} FROM Event WHERE Id IN {list}");
            // queryAll, so that a deleted event is told apart from one never seen.
            let rows: Vec<EventRecord> = self
                .client
                .query(soql)
                .include_deleted()
                .all()
                .await
                .map_err(fail)?;
            found.extend(rows.into_iter().map(|r| (id_key(&r.id).to_string(), r)));
        }
        Ok(ids
            .iter()
            .map(|id| match found.get(id_key(id)) {
                Some(r) if r.is_deleted => Err(CrmError::Deleted),
                Some(r) => from_record(r.clone()),
                None => Err(CrmError::NotFound),
            })
            .collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn create_events(
        &self,
        events: &[CrmEvent],
    ) -> Result<Vec<ItemResult<String>>, CrmError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let prepared = self.fields_to_write(events, true).await?;
        let ready: Vec<_> = prepared.iter().filter_map(|p| p.as_ref().ok()).collect();
        // Events made for an Exchange item carry its id: written by that external id, a
        // second app sharing the same item at the same moment updates the one event.
        let by_external_id = !ready.is_empty() && ready.iter().all(|f| f.exchange_id.is_some());
        let sent = match (ready.is_empty(), by_external_id) {
            (true, _) => Vec::new(),
            (false, true) => self
                .client
                .collections()
                .upsert(SObject::Event, EXTERNAL_ID_FIELD, &ready)
                .send()
                .await
                .map_err(fail)?,
            (false, false) => self
                .client
                .collections()
                .create(SObject::Event, &ready)
                .send()
                .await
                .map_err(fail)?,
        };
        Ok(merge(prepared, sent))
    }

    #[tracing::instrument(skip_all, err)]
    async fn events_for_items(&self, item_ids: &[String]) -> Result<Vec<CrmEvent>, CrmError> {
        if item_ids.is_empty() || self.known_item_ids() == Some(false) {
            return Ok(Vec::new());
        }
        // Exchange ids are long: the queries go in Composite bodies (no URI limit there),
        // five to a call, each within SOQL's 100,000 characters.
        let soql: Vec<String> = item_ids
            .chunks(ITEM_IDS_PER_QUERY)
            .filter_map(|chunk| in_list(chunk.iter().map(String::as_str)))
            .map(|list| {
                format!(
                    "SELECT {} FROM Event WHERE {EXTERNAL_ID_FIELD} IN {list}",
                    EVENT_FIELDS.join(", ")
                )
            })
            .collect();
        let rows: Vec<EventRecord> = match self.known_item_ids() {
            Some(_) => queries::run_queries(&self.client, soql).await,
            // Not known yet: Event's describe goes along in the first call; where the org has
            // no such field, what its queries answer is left unread.
            None => {
                queries::run_queries_describing(&self.client, SObject::Event, soql, |d| {
                    self.learn_item_ids(d)
                })
                .await
            }
        }
        .map_err(fail)?;
        rows.into_iter().map(from_record).collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn update_events(&self, events: &[CrmEvent]) -> Result<Vec<ItemResult<()>>, CrmError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let prepared: Vec<_> = events
            .iter()
            .zip(self.fields_to_write(events, false).await?)
            .map(|(e, fields)| {
                let id = e.id.clone().ok_or_else(|| CrmError::Invalid {
                    message: "the event has no CRM id to update".to_string(),
                    fields: vec!["Id".to_string()],
                })?;
                Ok((id, fields?))
            })
            .collect();
        let ready: Vec<_> = prepared
            .iter()
            .filter_map(|p| p.as_ref().ok().cloned())
            .collect();
        let sent = if ready.is_empty() {
            Vec::new()
        } else {
            self.client
                .collections()
                .update(SObject::Event, &ready)
                .send()
                .await
                .map_err(fail)?
        };
        Ok(merge(prepared, sent))
    }

    #[tracing::instrument(skip_all, err)]
    async fn delete_events(&self, ids: &[String]) -> Result<Vec<ItemResult<()>>, CrmError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sent = self
            .client
            .collections()
            .delete(ids)
            .send()
            .await
            .map_err(fail)?;
        Ok(sent
            .into_iter()
            .map(|r| r.map_err(|e| crm_error(&e)))
            .collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn keeps_item_ids(&self) -> Result<bool, CrmError> {
        self.item_ids_kept().await
    }

    #[tracing::instrument(skip_all, err)]
    async fn made_since(
        &self,
        owner_id: &str,
        creator_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<CrmEvent>, CrmError> {
        if !is_id(owner_id) || !is_id(creator_id) {
            return Ok(Vec::new());
        }
        let soql = format!(
            "SELECT {} FROM Event WHERE OwnerId = {} AND CreatedById = {} AND CreatedDate >= {} \
             ORDER BY CreatedDate, Id LIMIT {MAX_MADE_SINCE}",
            self.event_fields().await?,
            quote(owner_id),
            quote(creator_id),
            format_datetime(since),
        );
        let rows: Vec<EventRecord> = self.client.query(soql).all().await.map_err(fail)?;
        // An event that cannot be read is not one Onbehalf made.
        Ok(rows
            .into_iter()
            .filter_map(|r| from_record(r).ok())
            .collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn changes_since(&self, cursor: Option<DateTime<Utc>>) -> Result<Changes, CrmError> {
        changes::changes_since(&self.client, (self.clock)(), cursor).await
    }

    #[tracing::instrument(skip_all, err)]
    async fn events_of(&self, owner_id: &str, limit: usize) -> Result<Vec<String>, CrmError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        if !is_id(owner_id) {
            return Err(CrmError::NotFound);
        }
        let soql = format!(
            "SELECT Id FROM Event WHERE OwnerId = {} ORDER BY StartDateTime DESC LIMIT {}",
            quote(owner_id),
            limit.min(MAX_EVENTS_OF)
        );
        #[derive(serde::Deserialize)]
        struct Row {
            #[serde(rename = "Id")]
            id: String,
        }
        let rows: Vec<Row> = self.client.query(soql).all().await.map_err(fail)?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn access(
        &self,
        user_id: &str,
        event_ids: &[String],
    ) -> Result<Vec<(String, EventAccess)>, CrmError> {
        if event_ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .client
            .record_access(user_id, event_ids)
            .send()
            .await
            .map_err(fail)?;
        let by_id: HashMap<String, EventAccess> = rows
            .into_iter()
            .map(|r| {
                let access = EventAccess {
                    read: r.has_read_access,
                    edit: r.has_edit_access,
                    delete: r.has_delete_access,
                };
                (id_key(&r.record_id).to_string(), access)
            })
            .collect();
        // A record the running user cannot see is left out by Salesforce: no access known.
        let none = EventAccess {
            read: false,
            edit: false,
            delete: false,
        };
        Ok(event_ids
            .iter()
            .map(|id| (id.clone(), by_id.get(id_key(id)).copied().unwrap_or(none)))
            .collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn search(&self, text: &str) -> Result<Vec<CrmRecord>, CrmError> {
        lookup::search(&self.client, text).await.map_err(fail)
    }

    #[tracing::instrument(skip_all, err)]
    async fn match_addresses(&self, addresses: &[String]) -> Result<Vec<CrmRecord>, CrmError> {
        lookup::match_addresses(&self.client, addresses)
            .await
            .map_err(fail)
    }

    #[tracing::instrument(skip_all, err)]
    async fn records(&self, ids: &[String]) -> Result<Vec<CrmRecord>, CrmError> {
        lookup::records(&self.client, ids).await.map_err(fail)
    }

    #[tracing::instrument(skip_all, err)]
    async fn budget(&self) -> Result<ApiBudget, CrmError> {
        match self.client.limits().send().await {
            Ok(limits) => limits
                .daily_api_requests()
                .or_else(|| self.client.latest_budget())
                .ok_or_else(|| CrmError::Other {
                    code: "NO_DAILY_LIMIT".to_string(),
                    message: "Salesforce did not say how many API calls are left".to_string(),
                }),
            // Without "View Setup and Configuration" /limits is refused; the refusal's own
            // Sforce-Limit-Info header still tells the allowance.
            Err(e) if matches!(e.status(), Some(403 | 404)) => {
                self.client.latest_budget().ok_or_else(|| crm_error(&e))
            }
            Err(e) => Err(crm_error(&e)),
        }
    }

    #[tracing::instrument(skip_all, err)]
    async fn profile_names(&self, user_id: &str) -> Result<Vec<String>, CrmError> {
        if !is_id(user_id) {
            return Err(CrmError::NotFound);
        }
        profiles::assigned(&self.client, user_id)
            .await
            .map_err(fail)
    }
}
