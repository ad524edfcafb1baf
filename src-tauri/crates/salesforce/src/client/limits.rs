//! The daily API allowance as the `Sforce-Limit-Info` header of every answer tells it.

use onbehalf_engine::crm::ApiBudget;
use reqwest::header::HeaderMap;

const LIMIT_INFO: &str = "Sforce-Limit-Info";

/// `Sforce-Limit-Info: api-usage=18/5000` (possibly with `per-app-api-usage=…` after it).
pub(crate) fn from_headers(headers: &HeaderMap) -> Option<ApiBudget> {
    parse(headers.get(LIMIT_INFO)?.to_str().ok()?)
}

pub(crate) fn parse(value: &str) -> Option<ApiBudget> {
    let usage = value
        .split([',', ';'])
        .map(str::trim)
        .find_map(|part| part.strip_prefix("api-usage="))?;
    let (used, max) = usage.split_once('/')?;
    let used: u64 = used.trim().parse().ok()?;
    let max: u64 = max.trim().parse().ok()?;
    Some(ApiBudget {
        remaining: max.saturating_sub(used),
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_gives_what_is_left_of_the_allowance() {
        assert_eq!(
            parse("api-usage=18/5000"),
            Some(ApiBudget {
                remaining: 4982,
                max: 5000
            })
        );
        assert_eq!(
            parse("api-usage=25/5000, per-app-api-usage=17/250(appName=sample-app)"),
            Some(ApiBudget {
                remaining: 4975,
                max: 5000
            })
        );
        assert_eq!(parse("api-usage=6000/5000").map(|b| b.remaining), Some(0));
        assert_eq!(parse("per-app-api-usage=17/250"), None);
        assert_eq!(parse("api-usage=x/5000"), None);
    }
}
