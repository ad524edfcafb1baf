//! The one-shot HTTP listener on 127.0.0.1 that a browser sign-in (authorization code with
//! PKCE, RFC 8252 §7.3) is redirected to. Every sign-in of Onbehalf uses it, whatever the
//! identity service: it knows nothing of tokens or of any one service.
//!
//! Invariants: it listens on 127.0.0.1 only, on port 0 (any free port) or the one configured
//! when the service matches the redirect URI exactly, port included; only a `GET` of the
//! configured path carrying `code` or `error` counts as the redirect, and only with this
//! sign-in's `state`, compared in constant time; a redirect with another state (a stale tab, a
//! forged page) and any other request (a favicon) are answered and ignored, so they cannot end
//! the sign-in; request heads are read with a size and a time limit; the whole wait, the
//! redemption of the code included, ends at the caller's timeout. An authorization code is
//! never formatted by `Debug`.

mod error;
mod listener;
mod page;
mod request;

pub use error::{FinishError, LoopbackError};
pub use listener::{AuthorizationCode, Redirect, RedirectListener};
