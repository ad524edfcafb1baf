//! The origin a client used to reach the sandbox (`https://localhost:4711`), from which every
//! self-link is built: OpenID metadata, `@odata.nextLink`, `@odata.context`, `Location`, a
//! token's `iss`, Salesforce's `instance_url`. A client behind a port forward or a proxy then
//! keeps following links it can reach.
//!
//! Assumption: a proxy in front says what the client used with `X-Forwarded-Proto` and
//! `X-Forwarded-Host` (the de facto headers); otherwise the `Host` header and the connection's
//! own scheme tell. A header that is not a plain host[:port] is ignored, so a link never
//! carries what a client wrote into it.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Extensions, HeaderMap};

/// How a connection reached the server; set on each request by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Connection {
    pub https: bool,
    pub local: SocketAddr,
}

/// `scheme://host[:port]` as the client wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub scheme: &'static str,
    /// Host and port, as in a `Host` header.
    pub authority: String,
}

impl Origin {
    pub fn of(headers: &HeaderMap, extensions: &Extensions) -> Origin {
        let connection = extensions.get::<Connection>().copied();
        let https = connection.is_some_and(|c| c.https);
        let forwarded_proto = first_value(headers, "x-forwarded-proto")
            .map(|p| p.to_ascii_lowercase())
            .filter(|p| p == "http" || p == "https");
        let scheme = match forwarded_proto.as_deref() {
            Some("https") => "https",
            Some(_) => "http",
            None if https => "https",
            None => "http",
        };
        let authority = first_value(headers, "x-forwarded-host")
            .or_else(|| first_value(headers, header::HOST.as_str()))
            .filter(|h| plain_authority(h))
            .map(str::to_string)
            .unwrap_or_else(|| match connection {
                // The server certificate names localhost; a plain listener its address.
                Some(c) if c.https => format!("localhost:{}", c.local.port()),
                Some(c) => c.local.to_string(),
                None => "127.0.0.1".to_string(),
            });
        Origin { scheme, authority }
    }

    /// The host without the port.
    pub fn host(&self) -> &str {
        match self.authority.strip_prefix('[') {
            Some(rest) => rest.split(']').next().unwrap_or_default(),
            None => self.authority.split(':').next().unwrap_or_default(),
        }
    }

    /// The same scheme and host on another port (the Salesforce instances beside the login
    /// host).
    pub fn with_port(&self, port: u16) -> String {
        let host = self.host();
        match host.contains(':') {
            true => format!("{}://[{host}]:{port}", self.scheme),
            false => format!("{}://{host}:{port}", self.scheme),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Origin, Infallible> {
        Ok(Origin::of(&parts.headers, &parts.extensions))
    }
}

fn first_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// `host`, `host:port` or `[v6]:port`, nothing else.
fn plain_authority(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 255
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn origin(pairs: &[(&'static str, &'static str)], https: bool) -> Origin {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(*k, HeaderValue::from_static(v));
        }
        let mut ext = Extensions::new();
        ext.insert(Connection {
            https,
            local: "127.0.0.1:4711".parse().unwrap(),
        });
        Origin::of(&headers, &ext)
    }

    #[test]
    fn the_host_header_and_the_connection_scheme_make_the_origin() {
        let o = origin(&[("host", "localhost:4711")], true);
        assert_eq!(o.to_string(), "https://localhost:4711");
        assert_eq!(o.with_port(4712), "https://localhost:4712");
        let o = origin(&[("host", "127.0.0.1:4711")], false);
        assert_eq!(o.to_string(), "http://127.0.0.1:4711");
    }

    #[test]
    fn a_proxy_says_what_the_client_used() {
        let o = origin(
            &[
                ("host", "127.0.0.1:4711"),
                ("x-forwarded-proto", "https"),
                ("x-forwarded-host", "sandbox.example:8443"),
            ],
            false,
        );
        assert_eq!(o.to_string(), "https://sandbox.example:8443");
    }

    #[test]
    fn a_host_that_is_not_a_plain_host_is_ignored() {
        let o = origin(&[("host", "evil.example/path?x")], true);
        assert_eq!(o.to_string(), "https://localhost:4711");
        let o = origin(&[("host", "[::1]:4711")], false);
        assert_eq!(o.with_port(5000), "http://[::1]:5000");
    }
}
