//! How long a refresh's store work takes: replacing a list of 500 calendars and reading it
//! back, on a database file in a temporary folder. Prints figures; asserts nothing.

use std::error::Error;
use std::time::{Duration, Instant};

use chrono::Utc;
use onbehalf_store::{Account, CalendarRow, Store};

const ROWS: usize = 500;
const ROUNDS: usize = 30;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.sqlite3"))?;
    let account = Account {
        id: "tenant.object".into(),
        tenant_id: "tenant".into(),
        object_id: "object".into(),
        address: "me@contoso.com".into(),
        display_name: "Me".into(),
        authority: "https://login.example/organizations".into(),
        client_id: "client".into(),
        graph_url: "https://graph.example/v1.0".into(),
        signed_in_at: Utc::now(),
    };
    store.accounts().upsert(&account)?;
    let rows: Vec<CalendarRow> = (0..ROWS).map(row).collect();

    let mut replace = Vec::with_capacity(ROUNDS);
    let mut list = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        store.calendars().replace_all(&account.id, &rows)?;
        replace.push(start.elapsed());
        let start = Instant::now();
        let back = store.calendars().list(&account.id)?;
        list.push(start.elapsed());
        if back.len() != ROWS {
            return Err(format!("read {} rows back, wrote {ROWS}", back.len()).into());
        }
    }
    report(&format!("replace_all({ROWS} rows)"), &mut replace);
    report(&format!("list({ROWS} rows)"), &mut list);
    Ok(())
}

fn row(i: usize) -> CalendarRow {
    let owner = format!("owner{:03}@contoso.com", i / 5);
    let key = format!("cal-{i:04}");
    CalendarRow {
        entry_json: format!(
            r#"{{"key":"{key}","owner":"{owner}","name":"Calendar {i}","permission":{{"graph":"write","source":"inferred"}},"actions":{{"view":{{"allowed":true}},"share":{{"allowed":false,"reason":"Reviewer and below may only view"}}}}}}"#
        ),
        owner_address: owner,
        calendar_key: key,
        name: format!("Calendar {i}"),
        graph_role: Some("write".into()),
        source: "inferred".into(),
        seen_at: Utc::now(),
    }
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (Some(min), Some(max)) = (times.first(), times.last()) else {
        return;
    };
    let median = times[times.len() / 2];
    println!(
        "{what:<24} min {:>8.3} ms   median {:>8.3} ms   max {:>8.3} ms   ({} rounds)",
        ms(*min),
        ms(median),
        ms(*max),
        times.len()
    );
}
