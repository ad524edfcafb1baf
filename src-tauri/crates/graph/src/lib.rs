//! Microsoft identity platform sign-in and a typed Microsoft Graph client for the calendar and
//! mail calls Onbehalf makes, with [`GraphSource`], the engine's `CalendarSource` port over it,
//! and [`GraphItems`], its `ItemSource` port (calendar items, their changes and Onbehalf's
//! marks).
//!
//! Invariants: every URL comes from [`Endpoints`] (authority, Graph root, client id), never
//! from a constant, and every HTTP client trusts the built-in roots plus only the CA it is
//! handed ([`Trust`]); tokens travel as [`onbehalf_secrets::Sensitive`] and are never logged,
//! formatted or stored here (the caller persists the [`SavedSignIn`] of what [`AccessTokens`]
//! providers hand back; the access token itself is never persisted);
//! ids are opaque and always sent percent-encoded as one path segment; next-page links are
//! followed verbatim and only on the Graph origin; every Graph refusal keeps Graph's error
//! code; one retry layer bounds all waiting; a POST that may have reached Graph is sent again
//! only when Graph recognises the repeat (an event create with a `transactionId`), so no
//! message goes out twice; HTTP clients never follow redirects.

pub mod api;
pub mod auth;
pub mod client;
mod endpoints;
mod items;
pub mod models;
mod source;

pub use api::{
    read_schedule_response, CalendarTarget, EventQuery, Mailbox, MessageBody, MessageRef,
    OutgoingMessage, ReceivedMessage, ScheduleAnswer, ScheduleError, MAX_GROUP_PAGE,
    MAX_PERIOD_DAYS, MAX_SCHEDULES_PER_CALL,
};
pub use auth::{
    refresh, AccessTokens, AccountClaims, AuthError, DeviceCodePrompt, DeviceCodeSignIn,
    LoopbackSignIn, OnNewTokens, SavedSignIn, SignInHint, StaticTokens, TokenSet,
};
pub use client::{
    codes, BatchRequest, BatchResponse, ClientBuildError, GraphClient, GraphError, GraphPath, Page,
    Pager, RetryPolicy, MAX_BATCH,
};
pub use endpoints::Endpoints;
pub use items::{GraphItems, CATEGORY_COLOR, MEETING_NOT_CHANGED};
pub use onbehalf_http::Trust;
pub use source::{source_error, GraphSource, CONFIGURATION};
