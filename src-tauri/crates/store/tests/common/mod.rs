//! Builders shared by the store's tests.

#![allow(dead_code)]
// Builders run only inside tests, where a failure should stop the test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use onbehalf_store::{Account, CalendarRow, LinkRow, OutboxRow, Store};

pub fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
}

pub fn account(tenant: &str, object: &str) -> Account {
    Account {
        id: format!("{tenant}.{object}"),
        tenant_id: tenant.into(),
        object_id: object.into(),
        address: format!("{object}@contoso.com"),
        display_name: format!("User {object}"),
        authority: "https://login.microsoftonline.com/organizations".into(),
        client_id: "11111111-2222-3333-4444-555555555555".into(),
        graph_url: "https://graph.microsoft.com/v1.0".into(),
        signed_in_at: at(9),
    }
}

/// A store with one account, signed in and current.
pub fn store_with_account() -> (Store, Account) {
    let store = Store::open_in_memory().unwrap();
    let a = account("contoso", "megan");
    store.accounts().upsert(&a).unwrap();
    store.accounts().set_current(Some(&a.id)).unwrap();
    (store, a)
}

pub fn cal(owner: &str, key: &str, role: Option<&str>) -> CalendarRow {
    CalendarRow {
        owner_address: owner.into(),
        calendar_key: key.into(),
        name: format!("{key} of {owner}"),
        entry_json: format!(r#"{{"key":"{key}","owner":"{owner}"}}"#),
        graph_role: role.map(str::to_string),
        source: "inferred".into(),
        seen_at: at(10),
    }
}

/// A link of one item of `owner` to the Salesforce event `event`, as first synced.
pub fn link(account_id: &str, owner: &str, item: &str, event: &str) -> LinkRow {
    LinkRow {
        account_id: account_id.into(),
        item_owner: owner.into(),
        item_id: item.into(),
        crm: "salesforce".into(),
        org_id: "00D5e000000Contoso".into(),
        event_id: event.into(),
        crm_owner_id: "005Boss".into(),
        who_id: Some("003Contact".into()),
        what_id: None,
        synced_hashes: r#"{"subject":"a1","time":"b2"}"#.into(),
        synced_fields: Some(r#"{"subject":"Budget review"}"#.into()),
        ex_version: "CQAAABYAAAB1".into(),
        crm_version: "2026-03-02T10:00:00.000+0000".into(),
        synced_at: at(10),
    }
}

/// A request to share one item, made at `created` and due at once.
pub fn intent(account_id: &str, id: &str, created: DateTime<Utc>) -> OutboxRow {
    OutboxRow {
        id: id.into(),
        account_id: account_id.into(),
        kind: "share".into(),
        item_owner: "boss@contoso.com".into(),
        item_id: format!("AAMk{id}"),
        payload: r#"{"who_id":"003Contact"}"#.into(),
        created_at: created,
        attempts: 0,
        next_attempt_at: created,
        last_error: None,
    }
}
