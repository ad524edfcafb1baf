//! The discovery resources: `/services/data/` (every version served, with its release name;
//! not authenticated and not counted against the allocation), a version's resource list, and
//! `/limits`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::{Ctx, Reply, NEWEST, OLDEST};
use crate::salesforce::world::CrmWorld;
use crate::salesforce::Instance;

/// The release a version came with: v31.0 was Summer '14, then Winter, Spring and Summer of
/// each year in turn.
fn release(version: u32) -> String {
    let step = version.saturating_sub(29);
    let season = ["Winter", "Spring", "Summer"][usize::try_from(step % 3).unwrap_or(0)];
    format!("{season} '{}", 14 + step / 3)
}

pub(super) async fn versions(State(_): State<Arc<Instance>>) -> Response {
    let list: Vec<Value> = (OLDEST..=NEWEST)
        .map(|v| {
            json!({
                "label": release(v),
                "url": format!("/services/data/v{v}.0"),
                "version": format!("{v}.0"),
            })
        })
        .collect();
    Json(Value::Array(list)).into_response()
}

pub(super) fn resources(ctx: &Ctx<'_>) -> Reply {
    let base = ctx.base();
    let mut map = Map::new();
    for name in [
        "sobjects",
        "query",
        "queryAll",
        "search",
        "parameterizedSearch",
        "composite",
        "limits",
        "recent",
        "tooling",
    ] {
        map.insert(name.into(), Value::String(format!("{base}/{name}")));
    }
    Reply::ok(Value::Object(map))
}

pub(super) fn limits(world: &CrmWorld, ctx: &Ctx<'_>) -> Reply {
    let Some(org) = world.orgs.get(ctx.org) else {
        return Reply::ok(json!({}));
    };
    let max = org.daily_api_requests;
    let used = ctx.runtime.faults.budget().used(&org.id, ctx.now);
    // Assumption: every demo profile has "View Setup and Configuration", which `/limits`
    // needs; the other allocations are fixed values of an Enterprise Edition org.
    Reply::ok(json!({
        "ConcurrentAsyncGetReportInstances": {"Max": 200, "Remaining": 200},
        "DailyApiRequests": {"Max": max, "Remaining": max.saturating_sub(used)},
        "DailyAsyncApexExecutions": {"Max": 250000, "Remaining": 250000},
        "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000},
        "DataStorageMB": {"Max": 1024, "Remaining": 1019},
        "FileStorageMB": {"Max": 2048, "Remaining": 2048},
        "HourlyTimeBasedWorkflow": {"Max": 1000, "Remaining": 1000},
        "SingleEmail": {"Max": 5000, "Remaining": 5000},
    }))
}

#[cfg(test)]
mod tests {
    use super::release;

    #[test]
    fn versions_carry_their_release_names() {
        assert_eq!(release(31), "Summer '14");
        assert_eq!(release(32), "Winter '15");
        assert_eq!(release(60), "Spring '24");
        assert_eq!(release(67), "Summer '26");
    }
}
