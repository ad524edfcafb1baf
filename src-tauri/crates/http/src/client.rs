//! HTTP clients for API calls.

use std::time::Duration;

use crate::Trust;

/// A client that never follows redirects, gives up on a call after `timeout` (and on
/// connecting after `connect_timeout`), and trusts the built-in roots and those of `trust`.
/// There is no fallback when it cannot be built: a default client has no timeouts, follows
/// redirects and would not trust a configured CA.
pub fn api_client(
    timeout: Duration,
    connect_timeout: Duration,
    trust: &Trust,
) -> Result<reqwest::Client, reqwest::Error> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .timeout(timeout);
    trust.apply(builder)?.build()
}

/// What went wrong on the network, in words: timed out, could not connect, or failed.
pub fn network_text(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the connection failed"
    };
    format!("{kind} ({e})")
}
