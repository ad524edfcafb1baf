//! Salesforce for Onbehalf: signing in (the web server flow with PKCE through the loopback
//! listener, the device flow, refresh with rotation, revocation), a typed REST client for the
//! calls Onbehalf makes (a handler per resource, a builder per operation ending in `send()`),
//! and [`SalesforceCrm`], the engine's `Crm` port over it.
//!
//! Invariants: sign-in URLs come from [`SalesforceConfig`] and data calls go to the instance
//! the sign-in names (or an explicit override), never to a constant host; tokens travel as
//! [`onbehalf_secrets::Sensitive`] and are never logged, formatted or stored here; the caller
//! keeps the [`SavedSignIn`] (refresh token, instance and identity URLs, never the access
//! token), and a rotated refresh token is kept through `on_new` before its access token is
//! used; every value in a query goes through [`soql`]; every Salesforce refusal keeps its
//! error code; one retry layer bounds all waiting; writes stop at the reserve of the daily
//! allowance; HTTP clients never follow redirects, always time out, and trust the built-in
//! roots plus only the CA they are handed ([`Trust`]).

pub mod api;
pub mod auth;
pub mod client;
mod config;
mod crm;
pub mod models;
pub mod soql;

pub use auth::{
    on_new_sign_in, refresh, revoke, Access, AccessTokens, AuthError, DevicePolling, DevicePrompt,
    DeviceSignIn, IdentityUrl, OnNewSignIn, PersistError, SavedSignIn, TokenProvider, TokenSet,
    WebSignIn,
};
pub use client::{
    codes, ApiError, ClientBuildError, DataPath, LimitKind, Page, Pager, RetryPolicy,
    SalesforceClient, SalesforceError,
};
pub use config::{
    ApiVersion, InvalidApiVersion, SalesforceConfig, DEFAULT_API_VERSION, DEFAULT_REDIRECT_PATH,
    DEFAULT_REDIRECT_PORT, DEFAULT_RESERVE_PERCENT, DEFAULT_SCOPES, PRODUCTION_LOGIN_URL,
    SANDBOX_LOGIN_URL,
};
pub use crm::{crm_error, Clock, SalesforceCrm};
pub use models::{SObject, EXTERNAL_ID_FIELD};
pub use onbehalf_http::Trust;
