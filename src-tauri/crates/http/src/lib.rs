//! The HTTP plumbing every Onbehalf API client (Microsoft Graph, Salesforce, and the CRMs to
//! come) shares, so each behaves the same: one retry policy (exponential backoff with jitter,
//! `Retry-After` honoured, every wait capped), HTTP clients that never follow redirects (a
//! redirect would carry a bearer token elsewhere), always time out and trust an extra CA only
//! when one is configured ([`Trust`]; certificate checks are never turned off), network
//! failures worded for a person, and JSON decoding whose errors say where, never what (an
//! answer may hold the content of a private item).
//!
//! Invariants: no function here logs, stores or formats a request's or an answer's content.

mod client;
mod decode;
mod retry;
mod trust;

pub use client::{api_client, network_text};
pub use decode::{decode, decode_value, DecodeFailure};
pub use retry::{parse_retry_after, retry_after, RetryPolicy};
pub use trust::{Trust, TrustError};
