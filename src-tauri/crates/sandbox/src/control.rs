//! `/_sandbox/*`: control of a standalone sandbox over HTTP (faults, token expiry, refresh
//! token revocation and ageing, the delta token cache, the Graph requests counted by kind, the
//! meeting messages each mailbox sent, mail from outside arriving and mail sent outside, the
//! demo organisation as JSON; the Salesforce side's under `/_sandbox/salesforce/`). Never
//! subject to faults. Each does what the [`crate::Faults`] method of the same name does.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::faults::FaultSettings;
use crate::mailbox::InboundMail;
use crate::{demo_org, Shared};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sandbox/faults", post(set_faults).get(get_faults))
        .route("/_sandbox/graph-counts", get(graph_counts))
        .route("/_sandbox/expire-tokens", post(expire_tokens))
        .route(
            "/_sandbox/revoke-refresh-tokens",
            post(revoke_refresh_tokens),
        )
        .route("/_sandbox/age-refresh-tokens", post(age_refresh_tokens))
        .route("/_sandbox/expire-delta-tokens", post(expire_delta_tokens))
        .route("/_sandbox/meeting-mail", get(meeting_mail))
        .route("/_sandbox/mail/deliver", post(deliver_mail))
        .route("/_sandbox/mail/outbound", get(outbound_mail))
        .route("/_sandbox/org", get(org))
        .route("/_sandbox/executive-tenant", post(executive_tenant))
        .merge(crate::salesforce::control_routes())
}

async fn set_faults(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<FaultSettings>(&body) {
        Ok(settings) => {
            shared.faults.apply(&settings);
            tracing::info!(?settings, "faults changed");
            Json(shared.faults.settings()).into_response()
        }
        Err(e) => bad_request(format!("not a fault settings object: {e}")),
    }
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Json<FaultSettings> {
    Json(shared.faults.settings())
}

/// `{"requests", "batches", "batch_members", "delta_pages", "writes"}` since the sandbox
/// started, so a client's retries can be checked from outside the process.
async fn graph_counts(State(shared): State<Arc<Shared>>) -> Json<serde_json::Value> {
    let c = shared.faults.graph_counts();
    Json(serde_json::json!({
        "requests": c.requests,
        "batches": c.batches,
        "batch_members": c.batch_members,
        "delta_pages": c.delta_pages,
        "writes": c.writes,
    }))
}

async fn expire_tokens(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.faults.expire_all_tokens();
    StatusCode::NO_CONTENT
}

fn bad_request(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "error": message })),
    )
        .into_response()
}

/// Body `{"tenant_id": "…"}`: the executive's simulated Onbehalf signs in to that Microsoft
/// 365 organisation and publishes her record from there (409 once her real Onbehalf speaks
/// for her).
#[derive(Deserialize)]
struct ExecutiveTenant {
    tenant_id: String,
}

async fn executive_tenant(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let asked: ExecutiveTenant = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => return bad_request(format!("expected {{\"tenant_id\": \"…\"}}: {e}")),
    };
    match shared.faults.executive_signs_in_to_tenant(&asked.tenant_id) {
        true => StatusCode::NO_CONTENT.into_response(),
        false => (
            StatusCode::CONFLICT,
            Json(
                serde_json::json!({ "error": "the executive's own Onbehalf publishes her record" }),
            ),
        )
            .into_response(),
    }
}

/// Body `{"user": "address"}` revokes that user's refresh tokens; an empty body, everyone's.
#[derive(Deserialize)]
struct Revoke {
    #[serde(default)]
    user: Option<String>,
}

async fn revoke_refresh_tokens(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Response {
    let revoke = if body.iter().all(u8::is_ascii_whitespace) {
        Revoke { user: None }
    } else {
        match serde_json::from_slice::<Revoke>(&body) {
            Ok(r) => r,
            Err(e) => return bad_request(format!("not a revocation object: {e}")),
        }
    };
    match revoke.user {
        None => shared.faults.revoke_all_refresh_tokens(),
        Some(user) if shared.faults.revoke_refresh_tokens_of(&user) => {}
        Some(user) => return bad_request(format!("{user} is not a demo user")),
    }
    tracing::info!("refresh tokens revoked");
    StatusCode::NO_CONTENT.into_response()
}

/// Body `{"days": N}`.
#[derive(Deserialize)]
struct Age {
    days: u32,
}

async fn age_refresh_tokens(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Response {
    match serde_json::from_slice::<Age>(&body) {
        Ok(age) => {
            shared.faults.age_refresh_tokens(age.days);
            tracing::info!(days = age.days, "refresh tokens aged");
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => bad_request(format!("expected {{\"days\": N}}: {e}")),
    }
}

async fn expire_delta_tokens(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.faults.expire_delta_tokens();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Mailbox {
    address: String,
}

/// `?address=…` → `{"address", "invitations", "updates", "cancellations", "total"}`.
async fn meeting_mail(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<Mailbox>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(mailbox)) = query else {
        return bad_request("expected ?address=someone@contoso.com".to_string());
    };
    let sent = shared.faults.meeting_mail(&mailbox.address);
    Json(serde_json::json!({
        "address": mailbox.address.trim().to_lowercase(),
        "invitations": sent.invitations,
        "updates": sent.updates,
        "cancellations": sent.cancellations,
        "total": sent.total(),
    }))
    .into_response()
}

/// Body `{"to": address, "from": {"name", "address"}, "subject", "body": {"contentType",
/// "content"}, "inReplyTo"?}` → 201 `{"id"}`, the message's id in the recipient's mailbox.
async fn deliver_mail(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let mail: InboundMail = match serde_json::from_slice(&body) {
        Ok(m) => m,
        Err(e) => {
            return bad_request(format!(
                "expected {{\"to\", \"from\": {{\"name\", \"address\"}}, \"subject\", \"body\": {{\"contentType\", \"content\"}}}}: {e}"
            ))
        }
    };
    match shared.faults.deliver_mail(&mail) {
        Ok(id) => {
            tracing::info!(to = %mail.to, "mail from outside delivered");
            (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()
        }
        Err(e) => bad_request(e.to_string()),
    }
}

/// `[{"internetMessageId", "conversationId", "sentDateTime", "from", "sender", "to", "cc",
/// "bcc", "outside", "subject", "body"}]`, oldest first.
async fn outbound_mail(State(shared): State<Arc<Shared>>) -> Json<Vec<crate::OutboundMail>> {
    Json(shared.faults.outbound_mail())
}

async fn org() -> Json<crate::DemoOrg> {
    Json(demo_org())
}
