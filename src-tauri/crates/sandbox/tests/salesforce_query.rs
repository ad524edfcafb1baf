//! SOQL over the demo CRM: paging with `nextRecordsUrl` and `Sforce-Query-Options`, the
//! errors of queries outside the subset, relationship fields, date literals, COUNT(),
//! `queryAll`, and Parameterized Search across contacts, leads, accounts, opportunities and
//! cases.

mod common;

use std::collections::BTreeSet;

use common::salesforce::*;
use common::{start, DANIEL, EMMA, OLIVIA};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn large_results_come_in_batches_behind_next_records_url() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let q = format!(
        "/query?q={}",
        urlencode("SELECT Id, Name, Email FROM Contact ORDER BY Name")
    );
    let first = call_with(
        &t,
        Method::GET,
        &q,
        None,
        &[("Sforce-Query-Options", "batchSize=200")],
    )
    .await;
    assert_eq!(first.status, StatusCode::OK);
    let total = first.body["totalSize"].as_u64().unwrap();
    assert!(total > 300, "several hundred contacts: {total}");
    assert_eq!(first.body["done"], false);
    assert_eq!(first.body["records"].as_array().unwrap().len(), 200);
    let mut ids = BTreeSet::new();
    let mut names = Vec::new();
    let mut page = first.body;
    loop {
        for r in page["records"].as_array().unwrap() {
            assert!(
                ids.insert(r["Id"].as_str().unwrap().to_string()),
                "no record twice"
            );
            names.push(r["Name"].as_str().unwrap().to_lowercase());
        }
        let Some(next) = page["nextRecordsUrl"].as_str() else {
            assert_eq!(page["done"], true);
            break;
        };
        assert!(
            next.starts_with(&format!("/services/data/{V}/query/01g")),
            "{next}"
        );
        let r = get(&t, next).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["totalSize"], total);
        page = r.body;
    }
    assert_eq!(ids.len() as u64, total);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "ORDER BY holds across batches");

    // The default batch is 2,000; a locator is the opener's alone.
    let whole = query(&t, "SELECT Id FROM Contact").await;
    assert_eq!(whole["done"], true);
    let paged = call_with(
        &t,
        Method::GET,
        &q,
        None,
        &[("Sforce-Query-Options", "batchSize=200")],
    )
    .await;
    let emma = sign_in(&sb, EMMA).await;
    let r = get(&emma, paged.body["nextRecordsUrl"].as_str().unwrap()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.body), "INVALID_QUERY_LOCATOR");
    sb.shutdown().await;
}

#[tokio::test]
async fn queries_outside_the_subset_are_refused_as_salesforce_refuses_them() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let refused = |soql: &'static str| {
        let t = &t;
        async move { get(t, &format!("/query?q={}", urlencode(soql))).await }
    };
    for soql in [
        "SELECT Id FROM Contact WHERE LastName = 'Kim' AND Email != null OR Title = 'CEO'",
        "SELECT COUNT(Id) FROM Contact",
        "SELECT Name, COUNT(Id) FROM Account GROUP BY Name",
        "SELECT Id, (SELECT Id FROM Contacts) FROM Account",
        "SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account)",
        "SELECT Id FROM Event WHERE ActivityDate = '2026-03-02'",
        "SELECT Id FROM Account WHERE Name = :name",
        "SELECT Id FROM Account FOR VIEW",
        "SELECT FROM Account",
    ] {
        let r = refused(soql).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{soql}");
        assert_eq!(code(&r.body), "MALFORMED_QUERY", "{soql}: {}", r.body);
    }
    let r = refused("SELECT Id, Shoe_Size__c FROM Contact").await;
    assert_eq!(code(&r.body), "INVALID_FIELD");
    assert!(
        r.body[0]["message"]
            .as_str()
            .unwrap()
            .contains("ERROR at Row:1:Column:12"),
        "{}",
        r.body
    );
    let r = refused("SELECT Id FROM Invoice__c").await;
    assert_eq!(code(&r.body), "INVALID_TYPE");
    let r = refused("SELECT Id FROM Event WHERE Description = 'x'").await;
    assert_eq!(
        code(&r.body),
        "INVALID_FIELD",
        "long text areas cannot be filtered"
    );
    let r = get(&t, "/query").await;
    assert_eq!(code(&r.body), "MALFORMED_QUERY");
    sb.shutdown().await;
}

#[tokio::test]
async fn meeting_attendees_are_found_by_address_with_their_accounts() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let r = query(&t, "SELECT Id, Name, Email, Account.Name FROM Contact WHERE Email IN ('pat.kim@fabrikam.com', 'SAM.ORTIZ@northwindtraders.com', 'haruto.sato@fabrikam.co.jp') ORDER BY Name").await;
    let found: Vec<(String, String)> = r["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["Name"].as_str().unwrap().to_string(),
                c["Account"]["Name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("Haruto Sato".to_string(), "Fabrikam Japan".to_string()),
            ("Pat Kim".to_string(), "Fabrikam".to_string()),
            ("Sam Ortiz".to_string(), "Northwind Traders".to_string()),
        ]
    );
    assert_eq!(r["records"][0]["Account"]["attributes"]["type"], "Account");
    let accounts = query(
        &t,
        "SELECT Name FROM Account WHERE Name LIKE 'fabrikam%' ORDER BY Name DESC",
    )
    .await;
    let names: Vec<&str> = accounts["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Fabrikam Japan", "Fabrikam"]);
    let leads = query(&t, "SELECT COUNT() FROM Lead WHERE IsConverted = false").await;
    assert!(leads["totalSize"].as_u64().unwrap() > 100);
    assert_eq!(leads["records"], json!([]));
    for object in ["Opportunity", "Case", "Account"] {
        let n = query(&t, &format!("SELECT COUNT() FROM {object}")).await;
        assert!(n["totalSize"].as_u64().unwrap() >= 100, "{object}: {n}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn events_read_with_relationships_date_literals_and_query_all() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let olivia = crm_id(OLIVIA);
    let r = query(&t, &format!("SELECT Subject, Who.Name, What.Name, What.Type, Account.Name, Owner.Name, UserRecordAccess.HasEditAccess FROM Event WHERE OwnerId = '{olivia}' AND Subject = 'Fabrikam renewal review'")).await;
    let e = &r["records"][0];
    assert_eq!(e["Who"]["Name"], "Pat Kim");
    assert_eq!(e["Who"]["attributes"]["type"], "Name");
    assert_eq!(e["What"]["Type"], "Opportunity");
    assert_eq!(e["Account"]["Name"], "Fabrikam");
    assert_eq!(e["Owner"]["Name"], "Olivia Grant");
    assert_eq!(e["UserRecordAccess"]["HasEditAccess"], true);

    let upcoming = query(&t, &format!("SELECT Subject FROM Event WHERE OwnerId = '{olivia}' AND StartDateTime = NEXT_N_DAYS:10 ORDER BY StartDateTime")).await;
    let subjects: Vec<&str> = upcoming["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Subject"].as_str().unwrap())
        .collect();
    assert!(
        subjects.contains(&"Fabrikam renewal review"),
        "{subjects:?}"
    );
    assert!(
        !subjects.contains(&"Tailspin Toys kickoff"),
        "past events are outside"
    );
    let past = query(&t, &format!("SELECT Subject FROM Event WHERE OwnerId = '{olivia}' AND StartDateTime < TODAY AND StartDateTime = LAST_N_DAYS:30")).await;
    assert_eq!(past["records"][0]["Subject"], "Tailspin Toys kickoff");

    let deleted =
        "SELECT Subject, IsDeleted FROM Event WHERE Subject = 'Lunch with Litware'".to_string();
    assert_eq!(query(&t, &deleted).await["totalSize"], 0);
    let all = get(&t, &format!("/queryAll?q={}", urlencode(&deleted))).await;
    assert_eq!(all.body["records"][0]["IsDeleted"], true);
    sb.shutdown().await;
}

#[tokio::test]
async fn parameterized_search_finds_records_to_link() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let r = get(
        &t,
        "/parameterizedSearch/?q=Fabrikam&sobject=Account&Account.fields=Id,Name&Account.limit=10",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let names: BTreeSet<&str> = r.body["searchRecords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains("Fabrikam") && names.contains("Fabrikam Japan"),
        "{names:?}"
    );
    assert!(r.body["searchRecords"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["attributes"]["type"] == "Account"));

    let r = get(&t, "/parameterizedSearch/?q=pat.kim%40fabrikam.com&sobject=Contact&Contact.fields=Name,Email&in=EMAIL").await;
    assert_eq!(r.body["searchRecords"][0]["Name"], "Pat Kim");

    let r = call(&t, Method::POST, "/parameterizedSearch", Some(json!({
        "q": "Fabrik*",
        "fields": ["Id", "Name"],
        "sobjects": [{"name": "Opportunity", "limit": 5}, {"name": "Account", "where": "Type = 'Customer - Channel'"}],
        "overallLimit": 20
    }))).await;
    let found: Vec<&Value> = r.body["searchRecords"].as_array().unwrap().iter().collect();
    assert!(
        found
            .iter()
            .any(|x| x["Name"] == "Fabrikam - Platform renewal"),
        "{}",
        r.body
    );
    assert!(found.iter().any(|x| x["Name"] == "Fabrikam Japan"));
    assert!(
        !found.iter().any(|x| x["Name"] == "Fabrikam"),
        "the where clause narrows accounts"
    );

    let r = get(&t, "/parameterizedSearch/?q=a").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.body), "INVALID_SEARCH");
    sb.shutdown().await;
}
