//! When and how long to wait before trying a call again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Bounds of a client's one retry layer: what is worth repeating (throttling, unavailability,
/// network failures, a locked record; each client says) is tried up to `max_attempts` calls in
/// all, waiting what `Retry-After` says or an exponential backoff with jitter, never longer
/// than `max_delay`.
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
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1`, after `attempt` failed calls.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let wait = match retry_after {
            Some(d) => d,
            None => {
                let exp = self
                    .base_delay
                    .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
                // Jitter keeps clients that failed together from retrying together.
                exp.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
            }
        };
        wait.min(self.max_delay)
    }
}

/// `Retry-After` as seconds (possibly fractional, as Graph sends them) or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, Utc::now())
}

pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).ok())
            .flatten();
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_fractional_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("0.25", now),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn waits_are_capped_and_grow() {
        let p = RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(120))),
            Duration::from_secs(1)
        );
        let first = p.delay(1, None);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
        let third = p.delay(3, None);
        assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
        assert!(p.delay(30, None) <= Duration::from_secs(1));
    }
}
