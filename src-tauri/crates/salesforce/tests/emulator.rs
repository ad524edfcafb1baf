//! The client and `SalesforceCrm` against the sandbox's Salesforce emulator, signed in as demo
//! users through the browser flow: renewal after an expired session, waiting out locked rows
//! and an unavailable server, the reserve of the daily allowance, rotated refresh tokens kept
//! before use, and an assistant managing the executive's events from creation to deletion.

// A failed step of a scenario panics on purpose.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Duration as Span, NaiveDate, Utc};
use onbehalf_engine::crm::{Changes, Crm, CrmError, CrmEvent, EventTime, RecordKind};
use onbehalf_salesforce::{
    crm_error, on_new_sign_in, refresh, AccessTokens, OnNewSignIn, PersistError, RetryPolicy,
    SObject, SalesforceClient, SalesforceConfig, SalesforceCrm, SalesforceError, SavedSignIn,
    TokenProvider, TokenSet, WebSignIn,
};
use onbehalf_sandbox::{demo_org, Sandbox, SandboxOptions};
use serde_json::json;
use url::Url;

const OLIVIA: &str = "olivia.grant@contoso.com";
const DANIEL: &str = "daniel.reyes@contoso.com";

/// The CRM user id of a demo person.
fn crm_id(address: &str) -> String {
    demo_org()
        .users
        .into_iter()
        .find(|u| u.address == address)
        .map(|u| u.crm.user_id)
        .unwrap()
}

fn contoso_org() -> String {
    demo_org().crm_orgs[0].id.clone()
}

/// Retries as in production, with waits shrunk to keep tests quick.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
    }
}

fn config(sb: &Sandbox) -> SalesforceConfig {
    let mut config = SalesforceConfig::new(
        Url::parse(&sb.salesforce_login_url()).unwrap(),
        sb.salesforce_client_id(),
    );
    // Any free port: the demo's connected app accepts every loopback port.
    config.redirect_port = 0;
    config
}

/// Sign `address` in through the browser flow: the authorize page honours `login_hint` and
/// sends the "browser" straight back to the listener waiting on the loopback address.
async fn sign_in(sb: &Sandbox, address: &str) -> (SalesforceConfig, TokenSet) {
    let config = config(sb);
    let (flow, url) = WebSignIn::start(&config, Some(address)).await.unwrap();
    let browser = reqwest::Client::new();
    let visit = async move { browser.get(url).send().await };
    let (visited, tokens) = tokio::join!(visit, flow.finish(Duration::from_secs(30)));
    assert!(visited.unwrap().status().is_success());
    (config, tokens.unwrap())
}

/// What `on_new` was given, in order; refuses to keep anything while `refusing` is set.
#[derive(Clone, Default)]
struct Kept {
    saved: Arc<Mutex<Vec<SavedSignIn>>>,
    refusing: Arc<AtomicBool>,
}

impl Kept {
    fn on_new(&self) -> OnNewSignIn {
        let kept = self.clone();
        on_new_sign_in(move |saved| {
            let kept = kept.clone();
            async move {
                if kept.refusing.load(Ordering::SeqCst) {
                    let refused: PersistError = "the disk is full".into();
                    return Err(refused);
                }
                kept.saved.lock().unwrap().push(saved);
                Ok(())
            }
        })
    }

    fn all(&self) -> Vec<SavedSignIn> {
        self.saved.lock().unwrap().clone()
    }
}

struct Session {
    config: SalesforceConfig,
    first: SavedSignIn,
    provider: Arc<TokenProvider>,
    kept: Kept,
    crm: SalesforceCrm,
}

impl Session {
    fn client(&self) -> &SalesforceClient {
        self.crm.client()
    }
}

async fn session(sb: &Sandbox, address: &str) -> Session {
    let (config, tokens) = sign_in(sb, address).await;
    let first = tokens.saved().unwrap();
    let kept = Kept::default();
    let provider = Arc::new(TokenProvider::new(&config, tokens, kept.on_new()).unwrap());
    let tokens: Arc<dyn AccessTokens> = provider.clone();
    let client = SalesforceClient::new(config.api_version.clone(), tokens, &config.trust)
        .unwrap()
        .with_retry_policy(fast_retries());
    // Ahead of the server's clock, so that a change made a moment ago is inside the window
    // asked for (Salesforce drops the seconds of both ends).
    let crm = SalesforceCrm::new(client).with_clock(Arc::new(|| Utc::now() + Span::minutes(2)));
    Session {
        config,
        first,
        provider,
        kept,
        crm,
    }
}

async fn start() -> Sandbox {
    Sandbox::start(SandboxOptions::default()).await.unwrap()
}

/// 15:00 UTC, `days` from today.
fn afternoon(days: i64) -> DateTime<Utc> {
    (Utc::now() + Span::days(days))
        .date_naive()
        .and_hms_opt(15, 0, 0)
        .unwrap()
        .and_utc()
}

fn meeting(owner: &str, subject: &str, days: i64) -> CrmEvent {
    let start = afternoon(days);
    CrmEvent {
        id: None,
        owner_id: owner.to_string(),
        subject: subject.to_string(),
        location: Some("Board room".to_string()),
        description: Some("Agenda to follow".to_string()),
        time: EventTime::Timed {
            start,
            end: start + Span::minutes(45),
        },
        is_private: false,
        show_as_busy: true,
        who_id: None,
        what_id: None,
        external_id: Some(format!("AAMkAGI2-{subject}")),
        version: None,
    }
}

fn created(results: Vec<Result<String, CrmError>>) -> Vec<String> {
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("an event was not created: {e:?}")))
        .collect()
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_the_call_goes_through() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let s = session(&sb, DANIEL).await;
    let olivia = s.crm.find_user(OLIVIA).await.unwrap().unwrap();
    assert_eq!(olivia.id, crm_id(OLIVIA));
    assert!(s.kept.all().is_empty(), "nothing was renewed yet");

    faults.expire_all_sessions();
    let seen = faults.requests_seen();
    let again = s.crm.find_user(OLIVIA).await.unwrap().unwrap();
    assert_eq!(again, olivia);
    assert_eq!(
        faults.requests_seen() - seen,
        2,
        "the refused call and its repetition with the renewed session"
    );
    assert_eq!(s.kept.all().len(), 1, "the renewed sign-in was kept");
    let seen = faults.requests_seen();
    s.crm.find_user(OLIVIA).await.unwrap();
    assert_eq!(
        faults.requests_seen() - seen,
        1,
        "the renewed session lasts"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn an_unavailable_server_and_locked_rows_are_waited_out() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let s = session(&sb, OLIVIA).await;
    let olivia = crm_id(OLIVIA);

    faults.unavailable_every(2);
    let seen = faults.requests_seen();
    for _ in 0..3 {
        assert!(s.crm.find_user(DANIEL).await.unwrap().is_some());
    }
    let ids = created(
        s.crm
            .create_events(&[meeting(&olivia, "Through 503s", 3)])
            .await
            .unwrap(),
    );
    let calls = faults.requests_seen() - seen;
    assert!(
        calls > 4,
        "some calls were answered 503 and repeated ({calls} requests for 4 calls)"
    );
    faults.clear();
    let read = s.crm.read_events(&ids).await.unwrap();
    assert_eq!(read.len(), 1, "the create was made once");
    assert_eq!(read[0].as_ref().unwrap().subject, "Through 503s");

    // One call of a single record: a locked row refuses the whole call.
    faults.unable_to_lock_row_every(2);
    let record = json!({
        "OwnerId": olivia,
        "Subject": "Single through a lock",
        "StartDateTime": afternoon(4).to_rfc3339(),
        "DurationInMinutes": 30,
    });
    for _ in 0..2 {
        s.client()
            .sobjects(SObject::Event)
            .create(&record)
            .send()
            .await
            .unwrap();
    }

    // A batch: locked rows come back among the results of a call that went through, and only
    // they are sent again.
    faults.unable_to_lock_row_every(3);
    let batch: Vec<CrmEvent> = (0..5)
        .map(|i| meeting(&olivia, &format!("Batch through locks {i}"), 5))
        .collect();
    let seen = faults.requests_seen();
    let ids = created(s.crm.create_events(&batch).await.unwrap());
    assert!(
        faults.requests_seen() - seen > 1,
        "a locked record was sent again"
    );
    assert_eq!(
        count(&s, "Batch through locks").await,
        5,
        "none was made twice"
    );
    let updated: Vec<CrmEvent> = ids
        .iter()
        .zip(&batch)
        .map(|(id, e)| CrmEvent {
            id: Some(id.clone()),
            location: Some("Room 12".to_string()),
            ..e.clone()
        })
        .collect();
    for result in s.crm.update_events(&updated).await.unwrap() {
        result.unwrap();
    }
    for result in s.crm.delete_events(&ids).await.unwrap() {
        result.unwrap();
    }

    // With allOrNone one locked row rolls the whole call back, so the whole call goes again.
    // Every fourth write is locked: two calls of three meet one, and no call meets two.
    faults.unable_to_lock_row_every(4);
    let seen = faults.requests_seen();
    for group in 0..2 {
        let together: Vec<_> = (0..3)
            .map(|i| {
                json!({
                    "OwnerId": olivia,
                    "Subject": format!("All or none through locks {group}.{i}"),
                    "StartDateTime": afternoon(6).to_rfc3339(),
                    "DurationInMinutes": 30,
                })
            })
            .collect();
        for result in s
            .client()
            .collections()
            .create(SObject::Event, &together)
            .all_or_none(true)
            .send()
            .await
            .unwrap()
        {
            result.unwrap();
        }
    }
    assert!(faults.requests_seen() - seen > 2, "a call was sent again");
    faults.clear();
    assert_eq!(count(&s, "All or none through locks").await, 6);
    let gone = s.crm.read_events(&ids).await.unwrap();
    assert!(
        gone.iter().all(|r| *r == Err(CrmError::Deleted)),
        "{gone:?}"
    );
    sb.shutdown().await;
}

/// How many events' subjects start with `prefix`.
async fn count(s: &Session, prefix: &str) -> usize {
    let soql = format!("SELECT Id FROM Event WHERE Subject LIKE '{prefix}%'");
    let rows: Vec<serde_json::Value> = s.client().query(soql).all().await.unwrap();
    rows.len()
}

#[tokio::test]
async fn writes_stop_at_the_reserve_before_they_are_sent_and_reads_go_on() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let org = contoso_org();
    let s = session(&sb, OLIVIA).await;
    let olivia = crm_id(OLIVIA);

    // The emulator spends a whole allowance or nothing, so the reserve is raised to all of
    // it: whatever has been used, what is left is below it.
    let reserved = SalesforceCrm::new(s.client().clone().with_reserve_percent(100));
    assert!(reserved.find_user(OLIVIA).await.unwrap().is_some());
    // Whether events keep item ids is a read, asked once per session.
    assert!(reserved.keeps_item_ids().await.unwrap());
    let usage = faults.api_usage(&org).unwrap();
    let seen = faults.requests_seen();
    let refused = reserved
        .create_events(&[meeting(&olivia, "Held back", 3)])
        .await;
    assert_eq!(
        refused,
        Err(CrmError::ReserveKept {
            reserve_percent: 100
        })
    );
    assert_eq!(
        faults.api_usage(&org).unwrap(),
        usage,
        "nothing was counted"
    );
    assert_eq!(faults.requests_seen(), seen, "nothing was sent");
    assert!(reserved.find_user(DANIEL).await.unwrap().is_some());
    assert_eq!(faults.api_usage(&org).unwrap().0, usage.0 + 1);

    // The allowance spent: Salesforce refuses the read, and its answer tells the client that
    // nothing is left, so the next write is not sent at all. (The session has already asked
    // whether events keep item ids, as any session that wrote before has.)
    assert!(s.crm.keeps_item_ids().await.unwrap());
    faults.spend_api_budget();
    let spent = s.crm.find_user(OLIVIA).await;
    assert!(
        matches!(spent, Err(CrmError::BudgetSpent { .. })),
        "{spent:?}"
    );
    let usage = faults.api_usage(&org).unwrap();
    assert_eq!(usage.0, usage.1);
    let seen = faults.requests_seen();
    let refused = s
        .crm
        .create_events(&[meeting(&olivia, "Held back", 3)])
        .await;
    assert_eq!(
        refused,
        Err(CrmError::ReserveKept {
            reserve_percent: 10
        })
    );
    assert_eq!(faults.requests_seen(), seen);
    assert_eq!(faults.api_usage(&org).unwrap(), usage);
    sb.shutdown().await;
}

#[tokio::test]
async fn each_rotated_refresh_token_is_kept_before_it_is_used() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let s = session(&sb, DANIEL).await;

    faults.expire_all_sessions();
    s.crm.find_user(OLIVIA).await.unwrap();
    let kept = s.kept.all();
    assert_eq!(kept.len(), 1);
    let second = kept[0].clone();
    assert_ne!(
        second.refresh_token, s.first.refresh_token,
        "the renewal rotated the refresh token"
    );
    assert_eq!(second.instance_url, s.first.instance_url);
    assert_eq!(second.identity_url, s.first.identity_url);

    // Both earlier tokens are spent now, so this renewal goes through only with the one kept.
    faults.expire_all_sessions();
    s.crm.find_user(OLIVIA).await.unwrap();
    let kept = s.kept.all();
    assert_eq!(kept.len(), 2);
    let third = kept[1].clone();
    assert_ne!(third.refresh_token, second.refresh_token);
    assert_eq!(s.provider.saved().await, Some(third.clone()));

    // A rotated-away token no longer renews anything.
    let stale = refresh(&s.config, &second).await.unwrap_err();
    assert!(stale.needs_sign_in(), "{stale:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_renewed_sign_in_that_cannot_be_kept_is_not_used_until_it_is() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let s = session(&sb, DANIEL).await;

    s.kept.refusing.store(true, Ordering::SeqCst);
    faults.expire_all_sessions();
    let seen = faults.requests_seen();
    let unsaved = s.crm.find_user(OLIVIA).await;
    assert!(
        matches!(&unsaved, Err(CrmError::Other { code, .. }) if code == "SIGN_IN_NOT_SAVED"),
        "{unsaved:?}"
    );
    assert_eq!(
        faults.requests_seen() - seen,
        1,
        "only the refused call: the renewed session was not used"
    );

    s.kept.refusing.store(false, Ordering::SeqCst);
    let seen = faults.requests_seen();
    assert!(s.crm.find_user(OLIVIA).await.unwrap().is_some());
    assert_eq!(
        faults.requests_seen() - seen,
        1,
        "kept first, then used at once"
    );
    let kept = s.kept.all();
    assert_eq!(kept.len(), 1);
    assert_eq!(s.provider.saved().await, Some(kept[0].clone()));

    // Revoked by an administrator: only signing in again helps.
    faults.revoke_refresh_tokens();
    faults.expire_all_sessions();
    assert_eq!(s.crm.find_user(OLIVIA).await, Err(CrmError::SignInExpired));
    let revoked = refresh(&s.config, &kept[0]).await.unwrap_err();
    assert!(revoked.needs_sign_in(), "{revoked:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_assistant_manages_the_executives_events_from_creation_to_deletion() {
    let sb = start().await;
    let s = session(&sb, DANIEL).await;
    let since = Utc::now() - Span::minutes(2);

    let me = s.crm.me().await.unwrap();
    assert_eq!(me.org_id, contoso_org());
    assert_eq!(me.user_id, crm_id(DANIEL));
    assert_eq!(me.email, DANIEL);
    assert_eq!(me.name, "Daniel Reyes");
    assert_eq!(me.instance_url, sb.salesforce_instance_url());

    let olivia = s.crm.find_user(OLIVIA).await.unwrap().unwrap();
    assert_eq!(olivia.id, crm_id(OLIVIA));
    assert_eq!(olivia.email, OLIVIA);
    assert!(olivia.active);
    assert_eq!(s.crm.find_user("nobody@contoso.com").await, Ok(None));

    let first = NaiveDate::from_ymd_opt(2031, 6, 2).unwrap();
    let offsite = CrmEvent {
        time: EventTime::AllDay {
            first,
            last: first + Span::days(2),
        },
        show_as_busy: false,
        ..meeting(&olivia.id, "Leadership offsite", 0)
    };
    let events = vec![meeting(&olivia.id, "Quarterly review", 3), offsite];
    let ids = created(s.crm.create_events(&events).await.unwrap());

    let read = s.crm.read_events(&ids).await.unwrap();
    for (asked, got) in events.iter().zip(&read) {
        let got = got.as_ref().unwrap();
        assert_eq!(
            got.owner_id, olivia.id,
            "on Olivia's calendar, not Daniel's"
        );
        assert_eq!(got.subject, asked.subject);
        assert_eq!(got.location, asked.location);
        assert_eq!(got.time, asked.time);
        assert_eq!(got.show_as_busy, asked.show_as_busy);
        assert_eq!(got.external_id, asked.external_id);
        assert!(got.version.is_some());
    }

    let access = s.crm.access(&me.user_id, &ids).await.unwrap();
    assert_eq!(access.len(), 2);
    for (id, a) in &access {
        assert!(ids.contains(id));
        assert!(a.read && a.edit && a.delete, "Full Access: {a:?}");
    }
    let listed = s.crm.events_of(&olivia.id, 2000).await.unwrap();
    assert!(ids.iter().all(|id| listed.contains(id)));

    let moved: Vec<CrmEvent> = read
        .iter()
        .map(|r| {
            let mut e = r.clone().unwrap();
            e.subject = format!("{} (moved)", e.subject);
            e.location = Some("Room 4".to_string());
            e
        })
        .collect();
    for result in s.crm.update_events(&moved).await.unwrap() {
        result.unwrap();
    }
    let reread = s.crm.read_events(&ids).await.unwrap();
    for ((before, asked), got) in read.iter().zip(&moved).zip(&reread) {
        let got = got.as_ref().unwrap();
        assert_eq!(got.subject, asked.subject);
        assert_eq!(got.location.as_deref(), Some("Room 4"));
        assert_eq!(got.owner_id, olivia.id, "an update leaves the owner");
        assert_ne!(
            got.version,
            before.as_ref().unwrap().version,
            "a change is a new version"
        );
    }

    let Changes::Since {
        updated, cursor, ..
    } = s.crm.changes_since(Some(since)).await.unwrap()
    else {
        panic!("a cursor of minutes ago is within the window");
    };
    assert!(ids.iter().all(|id| updated.contains(id)), "{updated:?}");
    assert!(
        cursor <= Utc::now(),
        "the next cursor is what Salesforce covered, not the client's clock"
    );

    for result in s.crm.delete_events(&ids).await.unwrap() {
        result.unwrap();
    }
    let gone = s.crm.read_events(&ids).await.unwrap();
    assert_eq!(gone, vec![Err(CrmError::Deleted), Err(CrmError::Deleted)]);
    let Changes::Since {
        updated, deleted, ..
    } = s.crm.changes_since(Some(since)).await.unwrap()
    else {
        panic!("a cursor of minutes ago is within the window");
    };
    assert!(ids.iter().all(|id| deleted.contains(id)), "{deleted:?}");
    assert!(ids.iter().all(|id| !updated.contains(id)));
    sb.shutdown().await;
}

#[tokio::test]
async fn records_to_link_are_found_by_letters_by_address_and_by_id() {
    let sb = start().await;
    let s = session(&sb, OLIVIA).await;

    let matched = s
        .crm
        .match_addresses(&[
            "Pat.Kim@Fabrikam.com".to_string(),
            "pat.kim@fabrikam.com".to_string(),
            "nobody@example.com".to_string(),
        ])
        .await
        .unwrap();
    assert_eq!(matched.len(), 1, "{matched:?}");
    let pat = &matched[0];
    assert_eq!(pat.kind, RecordKind::Contact);
    assert_eq!(pat.name, "Pat Kim");
    assert_eq!(pat.email.as_deref(), Some("pat.kim@fabrikam.com"));
    assert_eq!(pat.account.as_deref(), Some("Fabrikam"));

    let found = s.crm.search("Fabrikam").await.unwrap();
    let account = found
        .iter()
        .find(|r| r.kind == RecordKind::Account && r.name == "Fabrikam")
        .unwrap_or_else(|| panic!("no Fabrikam account in {found:?}"));
    assert!(found
        .iter()
        .any(|r| r.kind == RecordKind::Opportunity && r.account.as_deref() == Some("Fabrikam")));
    let by_text = s.crm.search("Pat Kim").await.unwrap();
    assert!(by_text.iter().any(|r| r.id == pat.id), "{by_text:?}");

    let named = s
        .crm
        .records(&[account.id.clone(), pat.id.clone()])
        .await
        .unwrap();
    let names: Vec<&str> = named.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Fabrikam", "Pat Kim"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn what_salesforce_cannot_keep_is_refused_in_the_engines_terms() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let s = session(&sb, OLIVIA).await;
    let olivia = crm_id(OLIVIA);
    let pat = s
        .crm
        .match_addresses(&["pat.kim@fabrikam.com".to_string()])
        .await
        .unwrap()
        .remove(0);

    let start = afternoon(3);
    let fortnight = CrmEvent {
        time: EventTime::Timed {
            start,
            end: start + Span::days(15),
        },
        ..meeting(&olivia, "Sabbatical", 0)
    };
    let seen = faults.requests_seen();
    let results = s.crm.create_events(&[fortnight]).await.unwrap();
    assert!(
        matches!(&results[0], Err(CrmError::Invalid { .. })),
        "{results:?}"
    );
    assert_eq!(faults.requests_seen(), seen, "refused before it was sent");

    // Salesforce's own refusals of the same, sent as they are, in the same terms.
    let too_long = json!({
        "OwnerId": olivia,
        "Subject": "Sabbatical",
        "StartDateTime": start.to_rfc3339(),
        "EndDateTime": (start + Span::days(15)).to_rfc3339(),
    });
    let private_with_contact = json!({
        "OwnerId": olivia,
        "Subject": "Doctor",
        "StartDateTime": start.to_rfc3339(),
        "DurationInMinutes": 30,
        "IsPrivate": true,
        "WhoId": pat.id,
    });
    let refused = s
        .client()
        .collections()
        .create(SObject::Event, &[too_long, private_with_contact])
        .send()
        .await
        .unwrap();
    let errors: Vec<CrmError> = refused
        .iter()
        .map(|r| crm_error(r.as_ref().unwrap_err()))
        .collect();
    assert!(matches!(&errors[0], CrmError::Invalid { .. }), "{errors:?}");
    assert!(
        matches!(&errors[1], CrmError::Invalid { fields, .. } if fields == &["WhoId"]),
        "{errors:?}"
    );
    assert!(errors.iter().all(|e| !e.is_retryable()));
    let raw: &SalesforceError = refused[1].as_ref().unwrap_err();
    assert_eq!(raw.code(), Some("FIELD_INTEGRITY_EXCEPTION"));

    // Through the port a private event is sent without its links, which Salesforce keeps.
    let private = CrmEvent {
        is_private: true,
        who_id: Some(pat.id.clone()),
        ..meeting(&olivia, "Doctor", 3)
    };
    let ids = created(s.crm.create_events(&[private]).await.unwrap());
    let read = s.crm.read_events(&ids).await.unwrap().remove(0).unwrap();
    assert!(read.is_private);
    assert_eq!(read.who_id, None);
    sb.shutdown().await;
}

#[tokio::test]
async fn two_apps_sharing_the_same_item_at_once_make_one_event() {
    let sb = start().await;
    let olivia = session(&sb, "olivia.grant@contoso.com").await;
    let daniel = session(&sb, "daniel.reyes@contoso.com").await;
    let owner = crm_id("olivia.grant@contoso.com");
    let event = meeting(&owner, "Shared twice", 3);
    let (a, b) = tokio::join!(
        olivia.crm.create_events(std::slice::from_ref(&event)),
        daniel.crm.create_events(std::slice::from_ref(&event)),
    );
    let a = created(a.unwrap());
    let b = created(b.unwrap());
    assert_eq!(a, b, "both apps got the one event's id");
    let found = olivia
        .crm
        .events_for_items(&[event.external_id.clone().unwrap()])
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].id.as_deref(), Some(a[0].as_str()));
    assert_eq!(found[0].owner_id, owner);
    // Nothing carries an id no event was made for.
    let none = olivia
        .crm
        .events_for_items(&["AAMk-never-shared".to_string()])
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn the_first_look_by_item_id_learns_whether_the_org_keeps_item_ids_in_the_same_call() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let owner = crm_id("olivia.grant@contoso.com");
    let made = session(&sb, "olivia.grant@contoso.com").await;
    let event = meeting(&owner, "Looked up", 3);
    created(
        made.crm
            .create_events(std::slice::from_ref(&event))
            .await
            .unwrap(),
    );
    let item = event.external_id.clone().unwrap();

    // A new session knows nothing yet: the describe goes in the look's own Composite call.
    let fresh = session(&sb, "olivia.grant@contoso.com").await;
    let seen = faults.requests_seen();
    let found = fresh
        .crm
        .events_for_items(std::slice::from_ref(&item))
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(fresh.crm.keeps_item_ids().await.unwrap());
    assert_eq!(faults.requests_seen(), seen + 1, "one call for both");

    // Without Onbehalf's package the same look finds nothing, and says so, in one call.
    assert!(faults.set_exchange_id_field(&contoso_org(), false));
    let without = session(&sb, "olivia.grant@contoso.com").await;
    let seen = faults.requests_seen();
    let found = without.crm.events_for_items(&[item]).await.unwrap();
    assert!(found.is_empty(), "{found:?}");
    assert!(!without.crm.keeps_item_ids().await.unwrap());
    assert_eq!(faults.requests_seen(), seen + 1, "one call for both");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_permission_sets_an_admin_assigned_are_named_without_the_profiles_own() {
    let sb = start().await;
    let s = session(&sb, DANIEL).await;
    for (user, expected) in [
        (DANIEL, vec!["Onbehalf_Assistant"]),
        ("emma.chen@contoso.com", vec!["Onbehalf_Assistant"]),
        ("aaron.patel@contoso.com", vec!["Onbehalf_Calendar_Only"]),
        (OLIVIA, vec![]),
    ] {
        assert_eq!(
            s.crm.profile_names(&crm_id(user)).await.unwrap(),
            expected,
            "{user}"
        );
    }
    // The 15-character id of no user: none assigned.
    assert!(s
        .crm
        .profile_names("005AAA000000001")
        .await
        .unwrap()
        .is_empty());
    sb.shutdown().await;
}
