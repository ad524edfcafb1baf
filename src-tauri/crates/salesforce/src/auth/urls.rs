//! URLs that a token response names, and which the bearer token is then sent to.

use url::Url;

use super::AuthError;

/// A URL from Salesforce that will receive the access token: HTTPS, or plain HTTP only on
/// this computer (the sandbox and tests). Anything else is refused rather than trusted.
pub(crate) fn service_url(text: &str, what: &str, step: &'static str) -> Result<Url, AuthError> {
    let invalid = |detail: String| AuthError::Invalid { step, detail };
    let url = Url::parse(text).map_err(|e| invalid(format!("the {what} is not a URL: {e}")))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(invalid(format!(
            "the {what} {} is not an HTTPS address",
            url.origin().ascii_serialization()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_this_computer_receives_a_token() {
        assert!(service_url("https://na1.salesforce.com", "instance URL", "s").is_ok());
        assert!(service_url("http://127.0.0.1:8080", "instance URL", "s").is_ok());
        assert!(service_url("http://na1.salesforce.com", "instance URL", "s").is_err());
        assert!(service_url("ftp://127.0.0.1", "instance URL", "s").is_err());
        assert!(service_url("not a url", "instance URL", "s").is_err());
    }
}
