//! What the time slot scenarios share: the week they look at, the customer, and the mail a
//! user's Outlook shows.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use reqwest::Method;
use serde_json::Value;

use crate::support::{graph, token_for, World};

/// The customer the times are offered to, outside the organisation.
pub const CUSTOMER: &str = "jordan.blake@northwind.example";

/// The Monday of the week after next, so no day is inside today's notice.
pub fn next_monday() -> NaiveDate {
    let today = Utc::now().date_naive();
    let ahead = 7 - today.weekday().num_days_from_monday();
    today + Duration::days(i64::from(ahead) + 7)
}

/// The messages in a folder of `user`'s mailbox (`drafts`, `inbox`), as Outlook shows them.
pub async fn mail_of(world: &World, user: &str, folder: &str) -> Vec<Value> {
    let token = token_for(world, user).await;
    let path = format!("/me/mailFolders/{folder}/messages");
    let (status, body) = graph(world, &token, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{body}");
    body["value"].as_array().unwrap().clone()
}
