//! `GET /services/oauth2/authorize`: the web server flow's authorization request. An unknown
//! client or an untrusted redirect URI gets the remote access error page (never a redirect);
//! other problems go back to the redirect URI as `error` and `error_description`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Duration, Utc};
use url::Url;

use super::{pages, scopes, tokens, unknown_scope};
use crate::identity::authorize::loopback_redirect;
use crate::org::demo_org;
use crate::salesforce::world::SfCode;
use crate::salesforce::SALESFORCE_CLIENT_ID;
use crate::state::secret_hash;
use crate::Shared;

/// How long an authorization code can be redeemed.
///
/// Assumption: 15 minutes; the web server flow's pages say the code is short-lived and
/// single-use without giving a figure that this emulator could check.
const CODE_MINUTES: i64 = 15;

fn error_page(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(pages::error(error, description)),
    )
        .into_response()
}

fn redirect(target: &Url, fields: &[(&str, String)]) -> Response {
    let mut target = target.clone();
    {
        let mut q = target.query_pairs_mut();
        for (k, v) in fields {
            q.append_pair(k, v);
        }
    }
    (
        StatusCode::FOUND,
        [(header::LOCATION, target.as_str().to_string())],
    )
        .into_response()
}

pub(super) async fn authorize(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let params: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    if get("client_id") != Some(SALESFORCE_CLIENT_ID) {
        return error_page("invalid_client_id", "client identifier invalid");
    }
    // Assumption: Onbehalf's connected app registers loopback callbacks on any port, as a
    // desktop app needs; Salesforce otherwise matches registered callbacks exactly.
    let Some(redirect_uri) = get("redirect_uri").and_then(loopback_redirect) else {
        return error_page(
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        );
    };
    let state = get("state").map(str::to_string);
    let fail = |error: &str, description: &str| {
        let mut fields = vec![
            ("error", error.to_string()),
            ("error_description", description.to_string()),
        ];
        if let Some(s) = &state {
            fields.push(("state", s.clone()));
        }
        redirect(&redirect_uri, &fields)
    };
    if get("response_type") != Some("code") {
        return fail("unsupported_response_type", "response type not supported");
    }
    let scopes = scopes(get("scope"));
    if unknown_scope(&scopes).is_some() {
        return fail("invalid_scope", "the requested scope is not allowed");
    }
    // Assumption: Onbehalf's connected app requires PKCE (it has no secret to keep), and only
    // S256 is accepted.
    let Some(challenge) = get("code_challenge") else {
        return fail("invalid_request", "missing required code challenge");
    };
    if get("code_challenge_method").unwrap_or("S256") != "S256" {
        return fail("invalid_request", "invalid code challenge method");
    }
    let hint = get("login_hint");
    let who = hint.and_then(|h| shared.store.lock().crm.principal_by_login(h));
    let Some(who) = who else {
        if get("prompt") == Some("none") {
            return fail("login_required", "user is not logged in");
        }
        let users = demo_org().users;
        let error = hint.map(|h| {
            format!("Please check your username and password. If you still can't log in, contact your Salesforce administrator. ({h} is not a demo user.)")
        });
        let status = if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        return (
            status,
            Html(pages::log_in(&users, &params, error.as_deref())),
        )
            .into_response();
    };
    let code = tokens::code();
    {
        let mut state_guard = shared.store.lock();
        let now = Utc::now();
        state_guard.crm.prune(now);
        state_guard.crm.auth.codes.insert(
            secret_hash(&code),
            SfCode {
                who,
                redirect_uri: get("redirect_uri").unwrap_or_default().to_string(),
                challenge: challenge.to_string(),
                scope: scopes.join(" "),
                expires: now + Duration::minutes(CODE_MINUTES),
                redeemed: false,
            },
        );
        shared.store.save_logged(&state_guard);
    }
    tracing::info!("salesforce authorization code issued");
    let mut fields = vec![("code", code)];
    if let Some(s) = state.clone() {
        fields.push(("state", s));
    }
    redirect(&redirect_uri, &fields)
}
