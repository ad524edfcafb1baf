//! `POST /{tenant}/oauth2/v2.0/token`: redeem an authorization code (PKCE S256 checked), a
//! refresh token (see `refresh`) or an approved device code. Answers and errors have the
//! identity platform's documented shape.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{credentials, form, keys, refresh, tenant_ok};
use crate::origin::Origin;
use crate::scopes::ScopeSet;
use crate::state::{secret_hash, AccessToken, DeviceStatus, RefreshToken, State as World};
use crate::{Shared, CLIENT_ID, TENANT_ID};

pub(crate) const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// An OAuth error response.
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    code: u32,
    description: String,
    /// MSAL's hint of what the user must do (`consent_required`, ...).
    suberror: Option<&'static str>,
    /// The client's `client-request-id`, echoed as `correlation_id`.
    correlation: Option<String>,
}

impl OAuthError {
    pub fn new(error: &'static str, code: u32, description: impl Into<String>) -> OAuthError {
        OAuthError {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            description: description.into(),
            suberror: None,
            correlation: None,
        }
    }

    /// A failure of the sandbox itself.
    pub fn server(description: impl Into<String>) -> OAuthError {
        OAuthError::new("server_error", 500011, description)
            .status(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Echo the client's `client-request-id` (when it is a GUID, as the platform requires).
    pub fn correlated(mut self, client_request_id: Option<&str>) -> OAuthError {
        self.correlation = client_request_id
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .map(|id| id.to_string());
        self
    }

    fn status(mut self, status: StatusCode) -> OAuthError {
        self.status = status;
        self
    }

    pub fn suberror(mut self, suberror: &'static str) -> OAuthError {
        self.suberror = Some(suberror);
        self
    }

    pub fn missing(parameter: &str) -> OAuthError {
        OAuthError::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    pub fn unknown_client(client_id: &str) -> OAuthError {
        OAuthError::new(
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory 'Contoso'."
            ),
        )
    }

    /// Discovery of a tenant that does not exist, as `login.microsoftonline.com` answers it.
    pub fn unknown_tenant(tenant: &str) -> OAuthError {
        OAuthError::new(
            "invalid_tenant",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
            ),
        )
    }

    pub fn bad_tenant(tenant: &str) -> OAuthError {
        OAuthError::new(
            "invalid_request",
            90002,
            format!("Tenant '{tenant}' not found."),
        )
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let trace = uuid::Uuid::new_v4();
        let correlation = self
            .correlation
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let now = Utc::now().format("%Y-%m-%d %H:%M:%SZ");
        let mut body = json!({
            "error": self.error,
            "error_description": format!(
                "AADSTS{}: {} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {now}",
                self.code, self.description
            ),
            "error_codes": [self.code],
            "timestamp": now.to_string(),
            "trace_id": trace.to_string(),
            "correlation_id": correlation.to_string(),
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        });
        if let Some(suberror) = self.suberror {
            body["suberror"] = Value::String(suberror.to_string());
        }
        (
            self.status,
            [(header::CACHE_CONTROL, "no-store")],
            Json(body),
        )
            .into_response()
    }
}

#[derive(Serialize)]
struct IdClaims<'a> {
    aud: &'a str,
    iss: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    name: &'a str,
    oid: &'a str,
    preferred_username: &'a str,
    sub: String,
    tid: &'a str,
    ver: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
}

/// What a successful redemption needs to know.
pub(crate) struct Grant<'a> {
    pub user: usize,
    pub client_id: &'a str,
    /// The scopes of this access token.
    pub scope: &'a str,
    /// Everything the user consented to, which a refresh token keeps (a narrower access token
    /// does not narrow the grant).
    pub consented: &'a str,
    /// When the user signed in interactively.
    pub auth_time: DateTime<Utc>,
    pub nonce: Option<&'a str>,
    /// The client asked for `client_info` (MSAL's `client_info=1`).
    pub client_info: bool,
}

/// Issue an access token (and a refresh token with `offline_access`, an id token with
/// `openid`), recording them hashed in the state.
pub(crate) fn issue(
    world: &mut World,
    shared: &Shared,
    origin: &Origin,
    grant: &Grant<'_>,
    now: DateTime<Utc>,
) -> Result<Value, OAuthError> {
    let user = world.users.get(grant.user).cloned().ok_or_else(|| {
        OAuthError::new(
            "server_error",
            500011,
            "The signed-in user no longer exists.",
        )
        .status(StatusCode::INTERNAL_SERVER_ERROR)
    })?;
    let scopes = ScopeSet::parse(grant.scope, &shared.base_url);
    let lifetime = Duration::from_std(shared.token_lifetime).unwrap_or(Duration::hours(1));
    let access = credentials::access_token(&user, &scopes.scp(), now, lifetime);
    world.auth.access_tokens.insert(
        secret_hash(&access),
        AccessToken {
            user: grant.user,
            scope: grant.scope.to_string(),
            expires: now + lifetime,
        },
    );
    let expires_in = lifetime.num_seconds();
    let shown_scope = grant
        .scope
        .split_whitespace()
        .filter(|s| !s.eq_ignore_ascii_case("offline_access"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut body = json!({
        "token_type": "Bearer",
        "scope": shown_scope,
        "expires_in": expires_in,
        "ext_expires_in": expires_in,
        "access_token": access,
    });
    if scopes.has("offline_access") {
        let refresh = credentials::refresh_token();
        world.auth.refresh_tokens.insert(
            secret_hash(&refresh),
            RefreshToken {
                user: grant.user,
                client_id: grant.client_id.to_string(),
                scope: grant.consented.to_string(),
                issued: now,
                auth_time: grant.auth_time,
                last_used: now,
            },
        );
        body["refresh_token"] = Value::String(refresh);
    }
    if scopes.has("openid") {
        let sub = pairwise_subject(&user.id, grant.client_id);
        let claims = IdClaims {
            aud: grant.client_id,
            iss: format!("{origin}/{TENANT_ID}/v2.0"),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now + Duration::hours(1)).timestamp(),
            name: &user.display_name,
            oid: &user.id,
            preferred_username: &user.address,
            sub,
            tid: TENANT_ID,
            ver: "2.0",
            nonce: grant.nonce,
        };
        let id_token = keys::signing_key(world)
            .and_then(|key| key.sign(&claims))
            .map_err(|e| OAuthError::server(format!("Could not sign the id token: {e}")))?;
        body["id_token"] = Value::String(id_token);
    }
    if grant.client_info {
        // The home account MSAL builds: `{uid}.{utid}`.
        let info = json!({ "uid": user.id, "utid": TENANT_ID });
        body["client_info"] = Value::String(URL_SAFE_NO_PAD.encode(info.to_string()));
    }
    Ok(body)
}

/// The `client-request-id` a client sent, which errors echo as their `correlation_id`.
pub(super) fn client_request_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
}

/// The `sub` of a user for a client: pairwise, the same in every token and in userinfo.
pub(super) fn pairwise_subject(user_id: &str, client_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(
        Sha256::new()
            .chain_update(user_id.as_bytes())
            .chain_update(client_id.as_bytes())
            .finalize(),
    )
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    origin: Origin,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = client_request_id(&headers);
    match redeem(&shared, &origin, &tenant, &body).map_err(|e| e.correlated(request_id)) {
        Ok(body) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            Json(body),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

fn redeem(
    shared: &Shared,
    origin: &Origin,
    tenant: &str,
    body: &[u8],
) -> Result<Value, OAuthError> {
    let params = form(body);
    let get = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    if !tenant_ok(tenant) {
        return Err(OAuthError::bad_tenant(tenant));
    }
    let grant_type = get("grant_type").ok_or_else(|| OAuthError::missing("grant_type"))?;
    let client_id = get("client_id").ok_or_else(|| OAuthError::missing("client_id"))?;
    if client_id != CLIENT_ID {
        return Err(OAuthError::unknown_client(client_id));
    }
    if get("client_secret").is_some() || get("client_assertion").is_some() {
        return Err(OAuthError::new(
            "invalid_client",
            700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        )
        .status(StatusCode::UNAUTHORIZED));
    }
    let client_info = get("client_info") == Some("1");
    let now = Utc::now();
    let mut world = shared.store.lock();
    world.prune(now);
    let result = match grant_type {
        "authorization_code" => {
            let code = get("code").ok_or_else(|| OAuthError::missing("code"))?;
            let redirect_uri =
                get("redirect_uri").ok_or_else(|| OAuthError::missing("redirect_uri"))?;
            let verifier =
                get("code_verifier").ok_or_else(|| OAuthError::missing("code_verifier"))?;
            let hash = secret_hash(code);
            let stored = world.auth.codes.get(&hash).cloned().ok_or_else(|| {
                OAuthError::new(
                    "invalid_grant",
                    70000,
                    "The provided value for the 'code' parameter is not valid.",
                )
            })?;
            if stored.redeemed {
                return Err(OAuthError::new(
                    "invalid_grant",
                    54005,
                    "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
                ));
            }
            if stored.expires <= now {
                return Err(OAuthError::new(
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
                ));
            }
            if stored.client_id != client_id {
                return Err(OAuthError::new(
                    "invalid_grant",
                    70000,
                    "The code was issued to a different client.",
                ));
            }
            if stored.redirect_uri != redirect_uri {
                return Err(OAuthError::new(
                    "invalid_grant",
                    50011,
                    "The redirect URI does not match the one used in the authorization request.",
                ));
            }
            if s256(verifier) != stored.code_challenge {
                return Err(OAuthError::new(
                    "invalid_grant",
                    501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
                ));
            }
            if let Some(c) = world.auth.codes.get_mut(&hash) {
                c.redeemed = true;
            }
            issue(
                &mut world,
                shared,
                origin,
                &Grant {
                    user: stored.user,
                    client_id,
                    scope: &stored.scope,
                    consented: &stored.scope,
                    auth_time: now,
                    nonce: stored.nonce.as_deref(),
                    client_info,
                },
                now,
            )
        }
        "refresh_token" => {
            let token = get("refresh_token").ok_or_else(|| OAuthError::missing("refresh_token"))?;
            let asked = refresh::Asked {
                client_id,
                scope: get("scope"),
                client_info,
            };
            refresh::redeem(&mut world, shared, origin, &asked, token, now)
        }
        DEVICE_GRANT => {
            let device_code = get("device_code")
                .or_else(|| get("code"))
                .ok_or_else(|| OAuthError::missing("device_code"))?;
            let hash = secret_hash(device_code);
            let stored = world.auth.device_codes.get(&hash).cloned().ok_or_else(|| {
                OAuthError::new(
                    "bad_verification_code",
                    70000,
                    "The device_code sent to the token endpoint was not recognized.",
                )
            })?;
            if stored.expires <= now {
                return Err(OAuthError::new(
                    "expired_token",
                    70019,
                    "Verification code expired.",
                ));
            }
            match stored.status {
                DeviceStatus::Pending => {
                    return Err(OAuthError::new(
                        "authorization_pending",
                        70016,
                        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                    ))
                }
                DeviceStatus::Declined => {
                    return Err(OAuthError::new(
                        "authorization_declined",
                        70000,
                        "The user declined the sign-in request.",
                    ))
                }
                DeviceStatus::Redeemed => {
                    return Err(OAuthError::new(
                        "invalid_grant",
                        54005,
                        "The device code was already redeemed.",
                    ))
                }
                DeviceStatus::Approved(user) => {
                    if let Some(d) = world.auth.device_codes.get_mut(&hash) {
                        d.status = DeviceStatus::Redeemed;
                    }
                    issue(
                        &mut world,
                        shared,
                        origin,
                        &Grant {
                            user,
                            client_id,
                            scope: &stored.scope,
                            consented: &stored.scope,
                            auth_time: now,
                            nonce: None,
                            client_info,
                        },
                        now,
                    )
                }
            }
        }
        other => Err(OAuthError::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    };
    if result.is_ok() {
        shared.store.save_logged(&world);
        tracing::info!(grant_type, "tokens issued");
    }
    result
}
