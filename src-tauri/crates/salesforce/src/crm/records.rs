//! Records to link, as the engine shows them.

use onbehalf_engine::crm::{CrmRecord, RecordKind};

use crate::models::{LinkRecord, ParentName, SObject};

/// The sObject of a kind of record.
pub(crate) fn sobject(kind: RecordKind) -> SObject {
    match kind {
        RecordKind::Contact => SObject::Contact,
        RecordKind::Lead => SObject::Lead,
        RecordKind::Account => SObject::Account,
        RecordKind::Opportunity => SObject::Opportunity,
        RecordKind::Case => SObject::Case,
    }
}

/// The kind of record an id names, when it is one an event links to.
pub(crate) fn kind_of_id(id: &str) -> Option<RecordKind> {
    RecordKind::ALL
        .into_iter()
        .find(|k| SObject::of_id(id) == Some(sobject(*k)))
}

/// The engine's record; `None` for an object an event does not link to.
pub(crate) fn crm_record(record: LinkRecord) -> Option<CrmRecord> {
    let empty = |kind, id| CrmRecord {
        kind,
        id,
        name: String::new(),
        email: None,
        account: None,
        stage: None,
        number: None,
    };
    Some(match record {
        LinkRecord::Contact(c) => CrmRecord {
            name: c.name.unwrap_or_default(),
            email: c.email,
            account: parent(c.account),
            ..empty(RecordKind::Contact, c.id)
        },
        LinkRecord::Lead(l) => CrmRecord {
            name: l.name.unwrap_or_default(),
            email: l.email,
            account: l.company,
            ..empty(RecordKind::Lead, l.id)
        },
        LinkRecord::Account(a) => CrmRecord {
            name: a.name.unwrap_or_default(),
            ..empty(RecordKind::Account, a.id)
        },
        LinkRecord::Opportunity(o) => CrmRecord {
            name: o.name.unwrap_or_default(),
            stage: o.stage_name,
            account: parent(o.account),
            ..empty(RecordKind::Opportunity, o.id)
        },
        LinkRecord::Case(c) => CrmRecord {
            // A case is known by its subject, and by its number when it has none.
            name: c
                .subject
                .clone()
                .filter(|s| !s.trim().is_empty())
                .or_else(|| c.case_number.clone())
                .unwrap_or_default(),
            number: c.case_number,
            stage: c.status,
            account: parent(c.account),
            ..empty(RecordKind::Case, c.id)
        },
        LinkRecord::Other(_) => return None,
    })
}

fn parent(p: Option<ParentName>) -> Option<String> {
    p.and_then(|p| p.name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    fn link(v: serde_json::Value) -> LinkRecord {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn each_kind_shows_what_tells_it_apart() {
        let contact = crm_record(link(json!({
            "attributes": {"type": "Contact"}, "Id": "003D000000QbUhTIAV", "Name": "Rose Gonzalez",
            "Email": "rose@edge.com", "Account": {"Name": "Edge Communications"}
        })))
        .unwrap();
        assert_eq!(contact.kind, RecordKind::Contact);
        assert_eq!(contact.account.as_deref(), Some("Edge Communications"));
        assert_eq!(contact.email.as_deref(), Some("rose@edge.com"));

        let lead = crm_record(link(json!({
            "attributes": {"type": "Lead"}, "Id": "00QD000000QbUhTIAV", "Name": "Bertha Boxer",
            "Email": "bertha@fcof.net", "Company": "Farmers Coop. of Florida"
        })))
        .unwrap();
        assert_eq!(lead.account.as_deref(), Some("Farmers Coop. of Florida"));

        let opportunity = crm_record(link(json!({
            "attributes": {"type": "Opportunity"}, "Id": "006D000000QbUhTIAV",
            "Name": "Edge Emergency Generator", "StageName": "Id. Decision Makers",
            "Account": {"Name": "Edge Communications"}
        })))
        .unwrap();
        assert_eq!(opportunity.stage.as_deref(), Some("Id. Decision Makers"));

        let case = crm_record(link(json!({
            "attributes": {"type": "Case"}, "Id": "500D000000QbUhTIAV", "CaseNumber": "00001001",
            "Subject": "", "Status": "New", "Account": null
        })))
        .unwrap();
        assert_eq!(case.name, "00001001");
        assert_eq!(case.number.as_deref(), Some("00001001"));
        assert_eq!(case.stage.as_deref(), Some("New"));

        assert_eq!(crm_record(LinkRecord::Other("Campaign".into())), None);
        assert_eq!(kind_of_id("001D000000QbUhTIAV"), Some(RecordKind::Account));
        assert_eq!(kind_of_id("00UD000000QbUhTIAV"), None);
    }
}
