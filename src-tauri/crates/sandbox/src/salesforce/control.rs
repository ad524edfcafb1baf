//! `/_sandbox/salesforce/*`: the Salesforce side's faults and admin actions over HTTP, beside
//! Graph's on the same control surface. Each does what the [`super::SalesforceFaults`] method
//! of the same name does.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::SalesforceFaultSettings;
use crate::org::ActivitySharing;
use crate::Shared;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/_sandbox/salesforce/faults",
            post(set_faults).get(get_faults),
        )
        .route(
            "/_sandbox/salesforce/expire-sessions",
            post(expire_sessions),
        )
        .route("/_sandbox/salesforce/spend-api-budget", post(spend_budget))
        .route(
            "/_sandbox/salesforce/revoke-refresh-tokens",
            post(revoke_refresh_tokens),
        )
        .route("/_sandbox/salesforce/settings", post(settings))
        .route("/_sandbox/salesforce/api-usage", get(api_usage))
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

fn empty(body: &Bytes) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

async fn set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<SalesforceFaultSettings>(&body) {
        Ok(settings) => {
            shared.salesforce.faults.apply(&settings);
            tracing::info!(?settings, "salesforce faults changed");
            Json(shared.salesforce.faults.settings()).into_response()
        }
        Err(e) => bad_request(format!("not a fault settings object: {e}")),
    }
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Json<SalesforceFaultSettings> {
    Json(shared.salesforce.faults.settings())
}

async fn expire_sessions(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.salesforce.faults.expire_all_sessions();
    StatusCode::NO_CONTENT
}

async fn spend_budget(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.salesforce.faults.spend_api_budget();
    StatusCode::NO_CONTENT
}

/// Body `{"user": "address"}` revokes that person's refresh tokens; an empty body, everyone's.
#[derive(Deserialize)]
struct Revoke {
    #[serde(default)]
    user: Option<String>,
}

async fn revoke_refresh_tokens(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let revoke = if empty(&body) {
        Revoke { user: None }
    } else {
        match serde_json::from_slice::<Revoke>(&body) {
            Ok(r) => r,
            Err(e) => return bad_request(format!("not a revocation object: {e}")),
        }
    };
    let faults = &shared.salesforce.faults;
    match revoke.user {
        None => faults.revoke_refresh_tokens(),
        Some(user) if faults.revoke_refresh_tokens_of(&user) => {}
        Some(user) => return bad_request(format!("{user} has no CRM user")),
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Body `{"org": "00D...", "multiday_events": bool, "exchange_id_field": bool,
/// "activity_sharing": "Private" | "ControlledByParent"}`; without `org`, Contoso's.
#[derive(Deserialize)]
struct Settings {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    multiday_events: Option<bool>,
    #[serde(default)]
    exchange_id_field: Option<bool>,
    #[serde(default)]
    activity_sharing: Option<ActivitySharing>,
}

async fn settings(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let settings = match serde_json::from_slice::<Settings>(&body) {
        Ok(s) => s,
        Err(e) => return bad_request(format!("not a settings object: {e}")),
    };
    let org = settings.org.unwrap_or_else(|| {
        shared
            .salesforce
            .instances
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    });
    let faults = &shared.salesforce.faults;
    let mut known = true;
    if let Some(on) = settings.multiday_events {
        known &= faults.set_multiday_events(&org, on);
    }
    if let Some(on) = settings.exchange_id_field {
        known &= faults.set_exchange_id_field(&org, on);
    }
    if let Some(sharing) = settings.activity_sharing {
        known &= faults.set_activity_sharing(&org, sharing);
    }
    if !known {
        return bad_request(format!("{org} is not a demo org"));
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn api_usage(State(shared): State<Arc<Shared>>) -> Json<serde_json::Value> {
    let faults = &shared.salesforce.faults;
    let usage: Vec<_> = shared
        .salesforce
        .instances
        .iter()
        .filter_map(|(org, _)| {
            faults
                .api_usage(org)
                .map(|(used, max)| json!({ "org": org, "used": used, "max": max }))
        })
        .collect();
    Json(json!(usage))
}
