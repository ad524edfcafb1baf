//! The device flow: `response_type=device_code` on the token endpoint answers `device_code,
//! user_code, verification_uri, interval`; the person enters the user code on
//! `/setup/connect` and picks a demo user; the device polls with `grant_type=device` and gets
//! `authorization_pending` until then, or `slow_down` when it polls sooner than the interval
//! allows (after which the interval grows by five seconds, as RFC 8628 has it).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{form, pages, scopes, tokens, unknown_scope, OAuthError};
use crate::org::demo_org;
use crate::origin::Origin;
use crate::salesforce::world::{CrmWorld, DeviceStatus, SfDevice};
use crate::salesforce::Runtime;
use crate::state::secret_hash;
use crate::Shared;

/// Seconds between polls, as Salesforce answers it.
const INTERVAL: i64 = 5;
/// How long a device code can be used.
///
/// Assumption: ten minutes; the documentation gives no lifetime.
const LIFETIME_MINUTES: i64 = 10;
const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ23456789";

fn user_code() -> String {
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

fn normalize(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Start the flow.
pub(super) fn start(
    world: &mut CrmWorld,
    origin: &Origin,
    scope: Option<&str>,
    now: DateTime<Utc>,
) -> Value {
    let device_code = tokens::random(32);
    let code = user_code();
    let mut granted = scopes(scope);
    // A scope the app lacks is dropped here rather than refused: the device cannot show a
    // redirect, and the person grants what the app has on the verification page.
    granted.retain(|s| unknown_scope(std::slice::from_ref(s)).is_none());
    world.auth.devices.insert(
        secret_hash(&device_code),
        SfDevice {
            user_code: code.clone(),
            scope: granted.join(" "),
            expires: now + Duration::minutes(LIFETIME_MINUTES),
            status: DeviceStatus::Pending,
            last_poll: None,
            interval: INTERVAL,
        },
    );
    json!({
        "device_code": device_code,
        "user_code": code,
        "verification_uri": format!("{origin}/setup/connect"),
        "interval": INTERVAL,
    })
}

/// One poll of the device.
///
/// Assumption: the wording of the errors, and that an approved code is redeemed however
/// soon the device polls (`slow_down` is answered only while the person has not approved).
pub(super) fn poll(
    world: &mut CrmWorld,
    runtime: &Runtime,
    origin: &Origin,
    code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Value, OAuthError> {
    let hash = secret_hash(code.unwrap_or_default());
    let Some(device) = world.auth.devices.get_mut(&hash) else {
        return Err(OAuthError::new("invalid_grant", "invalid device code"));
    };
    if device.expires <= now {
        return Err(OAuthError::new("expired_token", "expired device code"));
    }
    match device.status.clone() {
        DeviceStatus::Pending => {
            let too_soon = device
                .last_poll
                .is_some_and(|last| now - last < Duration::seconds(device.interval));
            device.last_poll = Some(now);
            if too_soon {
                device.interval += 5;
                return Err(OAuthError::new("slow_down", "polling too frequently"));
            }
            Err(OAuthError::new(
                "authorization_pending",
                "authorization pending",
            ))
        }
        DeviceStatus::Denied => Err(OAuthError::new(
            "access_denied",
            "end-user denied authorization",
        )),
        DeviceStatus::Redeemed => Err(OAuthError::new("invalid_grant", "invalid device code")),
        DeviceStatus::Approved(who) => {
            device.status = DeviceStatus::Redeemed;
            let scopes: Vec<String> = device
                .scope
                .split_whitespace()
                .map(str::to_string)
                .collect();
            tokens::issue(world, runtime, origin, &who, &scopes, None, now)
        }
    }
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    #[serde(default)]
    user_code: Option<String>,
}

pub(super) async fn page(Query(q): Query<PageQuery>) -> Html<String> {
    Html(pages::connect(
        &demo_org().users,
        q.user_code.as_deref().unwrap_or_default(),
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
    let retry = |error: &str| {
        (
            StatusCode::BAD_REQUEST,
            Html(pages::connect(&users, entered, Some(error))),
        )
            .into_response()
    };
    let wanted = normalize(entered);
    let now = Utc::now();
    let mut state = shared.store.lock();
    let who = get("login_hint").and_then(|h| state.crm.principal_by_login(h));
    let deny = get("deny").is_some();
    let Some(device) =
        state.crm.auth.devices.values_mut().find(|d| {
            d.user_code == wanted && d.status == DeviceStatus::Pending && d.expires > now
        })
    else {
        return retry("That code didn't work. Check the code and try again.");
    };
    let page = match (deny, who) {
        (true, _) => {
            device.status = DeviceStatus::Denied;
            pages::message(
                "Access Denied",
                "You denied access to the device. You can close this window.",
            )
        }
        (false, Some(who)) => {
            device.status = DeviceStatus::Approved(who);
            pages::message(
                "You're Connected",
                "Your device is connected to Salesforce. You can close this window.",
            )
        }
        (false, None) => return retry("Choose one of the demo users to connect the device."),
    };
    shared.store.save_logged(&state);
    (StatusCode::OK, Html(page)).into_response()
}
