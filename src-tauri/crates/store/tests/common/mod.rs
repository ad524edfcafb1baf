//! Builders shared by the store's tests.

#![allow(dead_code)]
// Builders run only inside tests, where a failure should stop the test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use onbehalf_store::{Account, CalendarRow, Store};

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
