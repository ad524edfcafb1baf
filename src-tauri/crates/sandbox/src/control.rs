//! `/_sandbox/*`: control of a standalone sandbox over HTTP (faults, token expiry, the demo
//! organisation as JSON). Never subject to faults.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::faults::FaultSettings;
use crate::{demo_org, Shared};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sandbox/faults", post(set_faults).get(get_faults))
        .route("/_sandbox/expire-tokens", post(expire_tokens))
        .route("/_sandbox/org", get(org))
}

async fn set_faults(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<FaultSettings>(&body) {
        Ok(settings) => {
            shared.faults.apply(&settings);
            tracing::info!(?settings, "faults changed");
            Json(shared.faults.settings()).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": format!("not a fault settings object: {e}") })),
        )
            .into_response(),
    }
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Json<FaultSettings> {
    Json(shared.faults.settings())
}

async fn expire_tokens(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.faults.expire_all_tokens();
    StatusCode::NO_CONTENT
}

async fn org() -> Json<crate::DemoOrg> {
    Json(demo_org())
}
