//! The device code flow: `POST /{tenant}/oauth2/v2.0/devicecode` starts it, the
//! `/devicelogin` page (or a form POST to it) approves or declines it, and the token endpoint
//! answers the polling device.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use chrono::{Duration, Utc};
use rand::Rng;
use serde::Deserialize;
use serde_json::json;

use super::token::{client_request_id, OAuthError};
use super::{form, pages, random_secret, tenant_ok};
use crate::org::demo_org;
use crate::origin::Origin;
use crate::state::{secret_hash, DeviceCode, DeviceStatus};
use crate::{Shared, CLIENT_ID};

const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn user_code() -> String {
    let mut rng = rand::thread_rng();
    (0..9)
        .map(|_| char::from(USER_CODE_ALPHABET[rng.gen_range(0..USER_CODE_ALPHABET.len())]))
        .collect()
}

fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub(super) async fn devicecode(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    origin: Origin,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let refuse = |e: OAuthError| e.correlated(client_request_id(&headers)).into_response();
    let params = form(&body);
    let get = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    if !tenant_ok(&tenant) {
        return refuse(OAuthError::bad_tenant(&tenant));
    }
    let Some(client_id) = get("client_id") else {
        return refuse(OAuthError::missing("client_id"));
    };
    if client_id != CLIENT_ID {
        return refuse(OAuthError::unknown_client(client_id));
    }
    let Some(scope) = get("scope") else {
        return refuse(OAuthError::missing("scope"));
    };
    let device_code = random_secret();
    let code = user_code();
    {
        let mut world = shared.store.lock();
        let now = Utc::now();
        world.prune(now);
        world.auth.device_codes.insert(
            secret_hash(&device_code),
            DeviceCode {
                user_code: code.clone(),
                client_id: client_id.to_string(),
                scope: scope.to_string(),
                expires: now + Duration::seconds(900),
                status: DeviceStatus::Pending,
            },
        );
        shared.store.save_logged(&world);
    }
    let uri = format!("{origin}/devicelogin");
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "user_code": code,
            "device_code": device_code,
            "verification_uri": uri,
            "expires_in": 900,
            "interval": shared.device_code_interval.as_secs().max(1),
            "message": format!(
                "To sign in, use a web browser to open the page {uri} and enter the code {code} to authenticate."
            ),
        })),
    )
        .into_response()
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    #[serde(default)]
    otc: Option<String>,
}

pub(super) async fn page(Query(q): Query<PageQuery>) -> Html<String> {
    Html(pages::device_login(
        &demo_org().users,
        q.otc.as_deref().unwrap_or_default(),
        None,
    ))
}

pub(super) async fn approve(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let params = form(&body);
    let get = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let users = demo_org().users;
    let entered = get("user_code").unwrap_or_default();
    let retry = |status: StatusCode, error: &str| {
        (
            status,
            Html(pages::device_login(&users, entered, Some(error))),
        )
            .into_response()
    };
    let wanted = normalize_code(entered);
    let now = Utc::now();
    let mut world = shared.store.lock();
    let user = get("login_hint").and_then(|h| world.user_by_address(h));
    let decline = get("decline").is_some();
    let Some(code) =
        world.auth.device_codes.values_mut().find(|d| {
            d.user_code == wanted && d.status == DeviceStatus::Pending && d.expires > now
        })
    else {
        return retry(
            StatusCode::BAD_REQUEST,
            "That code didn't work. Check the code and try again.",
        );
    };
    let outcome = match (decline, user) {
        (true, _) => {
            code.status = DeviceStatus::Declined;
            (
                StatusCode::OK,
                Html(pages::message(
                    "Sign-in cancelled",
                    "You declined to sign in on the other device. You can close this window.",
                )),
            )
                .into_response()
        }
        (false, Some(user)) => {
            code.status = DeviceStatus::Approved(user);
            tracing::info!(user, "device code approved");
            (
                StatusCode::OK,
                Html(pages::message(
                    "You're signed in",
                    "You have signed in to Onbehalf on your device. You may now close this window.",
                )),
            )
                .into_response()
        }
        (false, None) => {
            return retry(
                StatusCode::BAD_REQUEST,
                "Choose one of the demo users to sign in.",
            )
        }
    };
    shared.store.save_logged(&world);
    outcome
}
