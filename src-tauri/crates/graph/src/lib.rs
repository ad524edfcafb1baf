//! Microsoft identity platform sign-in and a typed Microsoft Graph client for the calendar
//! calls Onbehalf makes, with [`GraphSource`], the engine's `CalendarSource` port over it.
//!
//! Invariants: every URL comes from [`Endpoints`] (authority, Graph root, client id), never
//! from a constant; tokens travel as [`onbehalf_secrets::Sensitive`] and are never logged,
//! formatted or stored here (the caller persists what [`AccessTokens`] providers hand back);
//! ids are opaque and always sent percent-encoded as one path segment; next-page links are
//! followed verbatim and only on the Graph origin; every Graph refusal keeps Graph's error
//! code; one retry layer bounds all waiting; HTTP clients never follow redirects.

pub mod api;
pub mod auth;
pub mod client;
mod endpoints;
pub mod models;
mod source;

pub use api::{CalendarTarget, EventQuery, Mailbox};
pub use auth::{
    refresh, AccessTokens, AccountClaims, AuthError, DeviceCodePrompt, DeviceCodeSignIn,
    LoopbackSignIn, OnNewTokens, StaticTokens, TokenSet,
};
pub use client::{
    codes, BatchRequest, BatchResponse, GraphClient, GraphError, GraphPath, Page, Pager,
    RetryPolicy, MAX_BATCH,
};
pub use endpoints::Endpoints;
pub use source::{source_error, GraphSource};
