//! `GET /{tenant}/oauth2/v2.0/authorize`: the authorization code request. Problems with the
//! client or the redirect URI are shown on a page (never redirected to an untrusted URI); other
//! problems go back to the redirect URI as `error` parameters, as the platform documents.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Duration, Utc};
use url::Url;

use super::{pages, random_secret, tenant_ok};
use crate::org::demo_org;
use crate::state::{secret_hash, AuthCode};
use crate::{Shared, CLIENT_ID};

/// Loopback redirect URIs only, any port, as for a desktop app registered with
/// `http://localhost`.
pub(crate) fn loopback_redirect(uri: &str) -> Option<Url> {
    let url = Url::parse(uri).ok()?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1") | Some("localhost"));
    (url.scheme() == "http" && loopback && url.fragment().is_none()).then_some(url)
}

fn page(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

fn redirect(target: &Url) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, target.as_str().to_string())],
    )
        .into_response()
}

/// Send the outcome to the client: a 302 with query parameters, or a self-posting form.
fn deliver(redirect_uri: &Url, form_post: bool, fields: Vec<(&str, String)>) -> Response {
    if form_post {
        return page(
            StatusCode::OK,
            pages::form_post(redirect_uri.as_str(), &fields),
        );
    }
    let mut target = redirect_uri.clone();
    {
        let mut q = target.query_pairs_mut();
        for (k, v) in &fields {
            q.append_pair(k, v);
        }
    }
    redirect(&target)
}

pub(super) async fn authorize(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    uri: Uri,
) -> Response {
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
    if !tenant_ok(&tenant) {
        return page(
            StatusCode::BAD_REQUEST,
            pages::error(&format!(
                "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            )),
        );
    }
    let Some(client_id) = get("client_id") else {
        return page(
            StatusCode::BAD_REQUEST,
            pages::error(
                "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
            ),
        );
    };
    if client_id != CLIENT_ID {
        return page(
            StatusCode::BAD_REQUEST,
            pages::error(&format!(
                "AADSTS700016: Application with identifier '{client_id}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant."
            )),
        );
    }
    let Some(redirect_text) = get("redirect_uri") else {
        return page(
            StatusCode::BAD_REQUEST,
            pages::error("AADSTS900144: The request body must contain the following parameter: 'redirect_uri'."),
        );
    };
    let Some(redirect_uri) = loopback_redirect(redirect_text) else {
        return page(
            StatusCode::BAD_REQUEST,
            pages::error(&format!(
                "AADSTS50011: The redirect URI '{redirect_text}' specified in the request does not match the redirect URIs configured for the application '{CLIENT_ID}'."
            )),
        );
    };
    let form_post = get("response_mode") == Some("form_post");
    let state_param = get("state").map(str::to_string);
    let fail = |error: &str, description: String| {
        let mut fields = vec![
            ("error", error.to_string()),
            ("error_description", description),
        ];
        if let Some(s) = &state_param {
            fields.push(("state", s.clone()));
        }
        deliver(&redirect_uri, form_post, fields)
    };
    if get("response_type") != Some("code") {
        return fail(
            "unsupported_response_type",
            "AADSTS700054: response_type must be 'code' for this application.".to_string(),
        );
    }
    let Some(scope) = get("scope") else {
        return fail(
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'scope'."
                .to_string(),
        );
    };
    let Some(challenge) = get("code_challenge") else {
        return fail(
            "invalid_request",
            "AADSTS9002325: Proof Key for Code Exchange is required for this application."
                .to_string(),
        );
    };
    if get("code_challenge_method") != Some("S256") {
        return fail(
            "invalid_request",
            "AADSTS501491: Invalid code_challenge_method: only 'S256' is accepted.".to_string(),
        );
    }

    let org = demo_org();
    let hint = get("login_hint");
    let user = hint.and_then(|h| {
        let state = shared.store.lock();
        state.user_by_address(h)
    });
    let Some(user) = user else {
        if get("prompt") == Some("none") {
            return fail(
                "login_required",
                "AADSTS50058: A silent sign-in request was sent but no user is signed in."
                    .to_string(),
            );
        }
        let error = hint.map(|h| {
            format!(
                "We couldn't find an account with the username {h}. Choose one of the demo users."
            )
        });
        let status = if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        return page(
            status,
            pages::sign_in(&org.users, &params, error.as_deref()),
        );
    };

    let code = random_secret();
    {
        let mut state = shared.store.lock();
        let now = Utc::now();
        state.prune(now);
        state.auth.codes.insert(
            secret_hash(&code),
            AuthCode {
                user,
                client_id: client_id.to_string(),
                redirect_uri: redirect_text.to_string(),
                code_challenge: challenge.to_string(),
                scope: scope.to_string(),
                nonce: get("nonce").map(str::to_string),
                expires: now + Duration::minutes(10),
                redeemed: false,
            },
        );
        shared.store.save_logged(&state);
    }
    tracing::info!(user, "authorization code issued");
    let mut fields = vec![("code", code)];
    if let Some(s) = state_param.clone() {
        fields.push(("state", s));
    }
    deliver(&redirect_uri, form_post, fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_loopback_redirects_are_accepted() {
        assert!(loopback_redirect("http://127.0.0.1:53124/callback").is_some());
        assert!(loopback_redirect("http://localhost:8400").is_some());
        assert!(loopback_redirect("https://127.0.0.1:1/").is_none());
        assert!(loopback_redirect("http://evil.example/cb").is_none());
        assert!(loopback_redirect("not a url").is_none());
    }
}
