//! Answers about the org and the signed-in user: versions, limits, identity.

use std::collections::BTreeMap;

use onbehalf_engine::crm::ApiBudget;
use serde::Deserialize;

/// One entry of `GET /services/data/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiVersionInfo {
    /// `62.0`
    pub version: String,
    /// The release, e.g. `Winter '25`.
    #[serde(default)]
    pub label: String,
    /// `/services/data/v62.0`
    #[serde(default)]
    pub url: String,
}

/// One limit of `GET /limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Limit {
    #[serde(default)]
    pub max: u64,
    #[serde(default)]
    pub remaining: u64,
}

/// `GET /limits`: each limit by name (`DailyApiRequests`, `DailyBulkApiBatches`, …).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Limits(pub BTreeMap<String, Limit>);

impl Limits {
    /// The rolling 24-hour allowance of API calls.
    pub fn daily_api_requests(&self) -> Option<ApiBudget> {
        self.0.get("DailyApiRequests").map(|l| ApiBudget {
            remaining: l.remaining.min(l.max),
            max: l.max,
        })
    }
}

/// What the identity URL answers about the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Identity {
    /// The identity URL itself.
    #[serde(default)]
    pub id: String,
    pub user_id: String,
    pub organization_id: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default = "active")]
    pub active: bool,
}

fn active() -> bool {
    true
}
