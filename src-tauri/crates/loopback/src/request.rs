//! Reading a browser's request head and finding the redirect's parameters in it.

use std::collections::HashMap;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// The largest request head read; a browser's redirect is far smaller.
const MAX_HEAD: usize = 16 * 1024;

/// Read up to the end of the request head.
pub(crate) async fn read_head(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Err(std::io::Error::other("request head too large"));
        }
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::Error::other(
                "connection closed before the request ended",
            ));
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(head)
}

/// The query parameters of a `GET {path}?…` that carries a code or an error, if this is one.
pub(crate) fn redirect_params(head: &[u8], path: &str) -> Option<HashMap<String, String>> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    request.parse(head).ok()?;
    if request.method? != "GET" {
        return None;
    }
    let target = request.path?;
    let (target_path, query) = target.split_once('?').unwrap_or((target, ""));
    if target_path != path {
        return None;
    }
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    (params.contains_key("code") || params.contains_key("error")).then_some(params)
}

/// Comparing the state in constant time keeps its value from leaking through timing.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_the_redirect_request_counts() {
        let ok =
            redirect_params(b"GET /?code=abc&state=xyz HTTP/1.1\r\nHost: x\r\n\r\n", "/").unwrap();
        assert_eq!(ok.get("code").map(String::as_str), Some("abc"));
        let err = redirect_params(
            b"GET /?error=access_denied&error_description=No%20thanks HTTP/1.1\r\n\r\n",
            "/",
        )
        .unwrap();
        assert_eq!(
            err.get("error_description").map(String::as_str),
            Some("No thanks")
        );
        assert!(redirect_params(b"GET /favicon.ico HTTP/1.1\r\n\r\n", "/").is_none());
        assert!(redirect_params(b"GET / HTTP/1.1\r\n\r\n", "/").is_none());
        assert!(redirect_params(b"POST /?code=a HTTP/1.1\r\n\r\n", "/").is_none());
    }

    #[test]
    fn a_configured_path_must_match_exactly() {
        let head = b"GET /OauthRedirect?code=a&state=s HTTP/1.1\r\n\r\n";
        assert!(redirect_params(head, "/OauthRedirect").is_some());
        assert!(redirect_params(head, "/").is_none());
        assert!(redirect_params(head, "/oauthredirect").is_none());
        assert!(redirect_params(b"GET /?code=a HTTP/1.1\r\n\r\n", "/OauthRedirect").is_none());
    }

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
