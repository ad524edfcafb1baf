//! Finding records to link: by typed letters, by attendee address, by id.

use std::collections::HashMap;

use onbehalf_engine::crm::{CrmRecord, RecordKind};

use super::queries::run_queries;
use super::records::{crm_record, kind_of_id, sobject};
use super::{id_key, IDS_PER_QUERY};
use crate::client::SalesforceError;
use crate::models::SObject;
use crate::soql::{in_list, is_id};
use crate::SalesforceClient;

/// Addresses per query of contacts or leads.
const ADDRESSES_PER_QUERY: usize = 100;
/// Search results per kind of record, and in all.
const SEARCH_PER_KIND: u32 = 10;
const SEARCH_OVERALL: u32 = 50;

/// Records of every linkable kind matching a few typed letters, in one search call.
pub(crate) async fn search(
    client: &SalesforceClient,
    text: &str,
) -> Result<Vec<CrmRecord>, SalesforceError> {
    let mut search = client.search(text).overall_limit(SEARCH_OVERALL);
    for kind in RecordKind::ALL {
        search = search.object(sobject(kind), SEARCH_PER_KIND);
    }
    let found = search.send().await?;
    Ok(found.into_iter().filter_map(crm_record).collect())
}

/// The contacts and unconverted leads with these addresses (matched without regard to case,
/// as Salesforce compares them), their queries sent together.
pub(crate) async fn match_addresses(
    client: &SalesforceClient,
    addresses: &[String],
) -> Result<Vec<CrmRecord>, SalesforceError> {
    let mut unique: Vec<String> = addresses
        .iter()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'))
        .collect();
    unique.sort();
    unique.dedup();
    let mut soql = Vec::new();
    for chunk in unique.chunks(ADDRESSES_PER_QUERY) {
        let Some(list) = in_list(chunk.iter().map(String::as_str)) else {
            continue;
        };
        soql.push(format!(
            "SELECT {} FROM Contact WHERE Email IN {list}",
            SObject::Contact.link_fields().join(", ")
        ));
        soql.push(format!(
            "SELECT {} FROM Lead WHERE Email IN {list} AND IsConverted = false",
            SObject::Lead.link_fields().join(", ")
        ));
    }
    let found = run_queries(client, soql).await?;
    Ok(found.into_iter().filter_map(crm_record).collect())
}

/// The records with these ids, in the order asked; ids of other objects, and records not
/// there or not visible, are left out.
pub(crate) async fn records(
    client: &SalesforceClient,
    ids: &[String],
) -> Result<Vec<CrmRecord>, SalesforceError> {
    let mut by_kind: Vec<(RecordKind, Vec<&str>)> = RecordKind::ALL
        .into_iter()
        .map(|k| (k, Vec::new()))
        .collect();
    for id in ids.iter().filter(|id| is_id(id)) {
        if let Some(kind) = kind_of_id(id) {
            if let Some((_, list)) = by_kind.iter_mut().find(|(k, _)| *k == kind) {
                list.push(id);
            }
        }
    }
    let mut soql = Vec::new();
    for (kind, kind_ids) in &by_kind {
        for chunk in kind_ids.chunks(IDS_PER_QUERY) {
            if let Some(list) = in_list(chunk.iter().copied()) {
                let o = sobject(*kind);
                soql.push(format!(
                    "SELECT {} FROM {} WHERE Id IN {list}",
                    o.link_fields().join(", "),
                    o.api_name()
                ));
            }
        }
    }
    let found = run_queries(client, soql).await?;
    let mut by_id: HashMap<String, CrmRecord> = found
        .into_iter()
        .filter_map(crm_record)
        .map(|r| (id_key(&r.id).to_string(), r))
        .collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id_key(id)))
        .collect())
}
