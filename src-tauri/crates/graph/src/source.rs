//! The engine's [`CalendarSource`] port over Microsoft Graph.

use chrono::{Duration, Utc};
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::{
    CalendarInfo, CalendarRef, CalendarSource, DetailProbe, EventSample, Grant, Group, Me, Person,
    SourceError,
};
use onbehalf_engine::status_record::PROPERTY_ID;

use crate::api::{CalendarTarget, EventQuery, Mailbox, MAX_GROUP_PAGE};
use crate::models::{Calendar, Event, SingleValueExtendedProperty};
use crate::{AuthError, GraphClient, GraphError};

/// How far around now `probe_details` looks, and how many items it reads.
const PROBE_DAYS: i64 = 14;
const PROBE_TOP: u32 = 25;

/// Exchange as the signed-in user sees it, through Graph.
#[derive(Debug, Clone)]
pub struct GraphSource {
    client: GraphClient,
    tenant_id: String,
}

impl GraphSource {
    /// `tenant_id` is the signed-in account's `tid`, which `/me` does not return.
    pub fn new(client: GraphClient, tenant_id: String) -> Self {
        GraphSource { client, tenant_id }
    }

    pub fn client(&self) -> &GraphClient {
        &self.client
    }
}

impl CalendarSource for GraphSource {
    async fn me(&self) -> Result<Me, SourceError> {
        let user = self.client.users().me().await.map_err(source_error)?;
        Ok(Me {
            address: user.address().to_string(),
            id: user.id,
            display_name: user.display_name,
            tenant_id: self.tenant_id.clone(),
        })
    }

    async fn my_calendars(&self) -> Result<Vec<CalendarInfo>, SourceError> {
        let calendars = self
            .client
            .calendars()
            .list_mine(None)
            .all()
            .await
            .map_err(source_error)?;
        Ok(calendars.into_iter().map(calendar_info).collect())
    }

    async fn owner_calendar(&self, owner: &str) -> Result<CalendarInfo, SourceError> {
        self.client
            .calendars()
            .get(&CalendarTarget::default_of(owner), None)
            .await
            .map(calendar_info)
            .map_err(source_error)
    }

    async fn owner_status_record(&self, owner: &str) -> Result<Option<String>, SourceError> {
        let calendar = self
            .client
            .calendars()
            .get(&CalendarTarget::default_of(owner), Some(PROPERTY_ID))
            .await
            .map_err(source_error)?;
        Ok(calendar.extended_property(PROPERTY_ID).map(str::to_string))
    }

    async fn probe_details(&self, calendar: &CalendarRef) -> Result<DetailProbe, SourceError> {
        let target = match calendar {
            CalendarRef::OwnerDefault(owner) => CalendarTarget::default_of(owner),
            CalendarRef::Mine(id) => CalendarTarget::mine(id),
        };
        let now = Utc::now();
        let query = EventQuery {
            top: Some(PROBE_TOP),
            select: ["iCalUId", "subject", "body", "attendees", "sensitivity"]
                .map(String::from)
                .to_vec(),
            ..EventQuery::default()
        };
        let mut pager = self.client.events(target).calendar_view(
            now - Duration::days(PROBE_DAYS),
            now + Duration::days(PROBE_DAYS),
            &query,
        );
        // The first page is a large enough sample.
        match pager.next_page().await {
            Ok(page) => Ok(DetailProbe::Samples(
                page.map(|p| p.value)
                    .unwrap_or_default()
                    .iter()
                    .map(sample)
                    .collect(),
            )),
            Err(GraphError::Api { status: 403, .. }) => Ok(DetailProbe::Refused),
            Err(e) => Err(source_error(e)),
        }
    }

    async fn my_calendar_permissions(&self) -> Result<Vec<Grant>, SourceError> {
        let permissions = self
            .client
            .calendar_permissions(CalendarTarget::my_default())
            .list()
            .all()
            .await
            .map_err(source_error)?;
        Ok(permissions
            .into_iter()
            .filter_map(|p| {
                let Some(role) = GraphRole::parse(&p.role) else {
                    tracing::warn!(role = %p.role, "skipping a calendar permission with a role this version does not know");
                    return None;
                };
                Some(Grant {
                    address: p.email_address.and_then(|e| e.address).filter(|a| !a.is_empty()),
                    role,
                    is_inside_organization: p.is_inside_organization,
                    // Graph does not list Send on Behalf; the engine adds what delegate roles imply.
                    send_on_behalf: false,
                })
            })
            .collect())
    }

    async fn publish_status_record(&self, value: &str) -> Result<(), SourceError> {
        self.client
            .calendars()
            .patch_my_default_properties(&[SingleValueExtendedProperty {
                id: PROPERTY_ID.to_string(),
                value: value.to_string(),
            }])
            .await
            .map_err(source_error)
    }

    async fn my_groups(&self) -> Result<Vec<Group>, SourceError> {
        let listed = self
            .client
            .memberships(Mailbox::Me)
            .transitive_groups(MAX_GROUP_PAGE)
            .all()
            .await
            .map_err(source_error)?;
        let mut seen = std::collections::HashSet::new();
        Ok(listed
            .into_iter()
            .filter(|g| !g.id.is_empty() && seen.insert(g.id.clone()))
            .map(|g| Group {
                id: g.id,
                display_name: g.display_name.unwrap_or_default(),
                mail: g.mail.filter(|m| !m.is_empty()),
            })
            .collect())
    }
}

fn calendar_info(c: Calendar) -> CalendarInfo {
    CalendarInfo {
        owner: c.owner.and_then(|o| {
            let address = o.address.filter(|a| !a.is_empty())?;
            Some(Person {
                name: o.name.unwrap_or_default(),
                address,
            })
        }),
        id: c.id,
        name: c.name,
        can_edit: c.can_edit,
        can_share: c.can_share,
        can_view_private_items: c.can_view_private_items,
        is_default_calendar: c.is_default_calendar,
        is_removable: c.is_removable,
    }
}

fn sample(e: &Event) -> EventSample {
    let filled = |s: Option<&str>| s.is_some_and(|s| !s.trim().is_empty());
    EventSample {
        ical_uid: e.ical_uid.clone().filter(|i| !i.is_empty()),
        has_subject: filled(e.subject.as_deref()),
        has_body: filled(e.body.as_ref().map(|b| b.content.as_str())),
        has_attendees: !e.attendees.is_empty(),
        is_private: e.is_private(),
    }
}

/// The code of a failure that only a corrected configuration (client id, authority, scopes)
/// can mend.
pub const CONFIGURATION: &str = "Configuration";

/// Graph failures in the terms the engine branches on. Only a refused or missing sign-in is
/// "sign in again"; a configuration, local or network problem says what it is.
pub fn source_error(e: GraphError) -> SourceError {
    match e {
        GraphError::Auth { source, .. } => match source {
            AuthError::SignInRequired { .. } => SourceError::SignInExpired,
            AuthError::Network { .. } | AuthError::TimedOut { .. } => SourceError::Transient {
                message: source.to_string(),
            },
            AuthError::Config { .. } => SourceError::Other {
                code: CONFIGURATION.to_string(),
                message: source.to_string(),
            },
            AuthError::Server { ref error, .. }
                if matches!(
                    error.as_str(),
                    "invalid_client" | "unauthorized_client" | "invalid_scope"
                ) =>
            {
                SourceError::Other {
                    code: CONFIGURATION.to_string(),
                    message: source.to_string(),
                }
            }
            AuthError::Server { ref error, .. } => SourceError::Other {
                code: error.clone(),
                message: source.to_string(),
            },
            AuthError::Declined
            | AuthError::Expired
            | AuthError::StateMismatch
            | AuthError::Invalid { .. }
            | AuthError::Local { .. } => SourceError::Other {
                code: "SignInProblem".to_string(),
                message: source.to_string(),
            },
        },
        GraphError::Api {
            status,
            code,
            message,
            retry_after,
            ..
        } => match status {
            401 => SourceError::SignInExpired,
            403 => SourceError::AccessDenied { code },
            404 => SourceError::NotFound { code },
            409 | 412 => SourceError::Conflict { code, message },
            429 => SourceError::Throttled {
                retry_after,
                message: format!("{code}: {message}"),
            },
            500..=599 => SourceError::Transient {
                message: format!("{code}: {message}"),
            },
            _ => SourceError::Other { code, message },
        },
        GraphError::Network { .. } => SourceError::Transient {
            message: e.to_string(),
        },
        GraphError::Decode { .. } => SourceError::Other {
            code: "InvalidResponse".to_string(),
            message: e.to_string(),
        },
        GraphError::Invalid { .. } => SourceError::Other {
            code: "InvalidRequest".to_string(),
            message: e.to_string(),
        },
    }
}
