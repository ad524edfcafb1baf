//! When and how long to wait before trying a Salesforce call again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Bounds of the one retry layer. A locked row (`UNABLE_TO_LOCK_ROW`, refusing a whole call
/// or records inside an sObject Collections answer), an unavailable server
/// (503, and other 5xx on calls that are safe to repeat) and network failures are retried up
/// to `max_attempts` calls in all, waiting what `Retry-After` says or an exponential backoff
/// with jitter, never longer than `max_delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Calls in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The first backoff when the server gives no `Retry-After`; doubled on each retry.
    pub base_delay: Duration,
    /// Cap on any single wait, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait after `attempt` failed calls.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let wait = retry_after.unwrap_or_else(|| {
            let doubling = 2u32.saturating_pow(attempt.saturating_sub(1));
            // Jitter keeps clients that failed together from retrying together.
            self.base_delay
                .saturating_mul(doubling)
                .mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
        });
        wait.min(self.max_delay)
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, Utc::now())
}

pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return None;
        }
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date_and_nonsense_is_ignored() {
        let now = DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Mon, 02 Mar 2026 10:00:20 GMT", now),
            Some(Duration::from_secs(20))
        );
        assert_eq!(parse_retry_after("1e300", now), None);
        assert_eq!(parse_retry_after("-4", now), None);
        assert_eq!(parse_retry_after("later", now), None);
    }

    #[test]
    fn waits_grow_and_are_capped() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        let first = p.delay(1, None);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
        let third = p.delay(3, None);
        assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
        assert_eq!(
            p.delay(2, Some(Duration::from_secs(90))),
            Duration::from_secs(1)
        );
        assert!(p.delay(u32::MAX, None) <= Duration::from_secs(1));
    }
}
