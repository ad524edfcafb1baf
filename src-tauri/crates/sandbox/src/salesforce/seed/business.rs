//! The demo CRM's business records: the executive's customers (the attendees of her meetings)
//! with their accounts and open opportunities, several hundred generated accounts, contacts,
//! leads, opportunities and cases, and the subsidiary's own few customers.

use chrono::Duration;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::{Builder, Customer};
use crate::salesforce::names::{self, Company};
use crate::salesforce::objects::{CASE_STATUSES, INDUSTRIES, LEAD_STATUSES, STAGES};
use crate::salesforce::schema::SObject;
use crate::salesforce::values::format_date;

impl Builder<'_> {
    /// The executive's customers (the attendees of her meetings) with their accounts.
    pub(super) fn customers(&mut self) -> Vec<Customer> {
        let carla = self.user("carla.mendes@contoso.com");
        let mut out = Vec::new();
        for &(company, person, address, city) in crate::seed::CUSTOMERS {
            let (first, last) = person.split_once(' ').unwrap_or((person, person));
            let domain = address.split('@').nth(1).unwrap_or("example.com");
            let c = Company::new(company, domain, city, "United States");
            let account = self.account(&carla, &c, "Technology", "Customer - Direct");
            let contact = self.contact(
                &carla,
                &account,
                first,
                last,
                address,
                "Director of Operations",
            );
            let opportunity = self.insert(
                SObject::Opportunity,
                &carla,
                60,
                json!({
                    "AccountId": account,
                    "Name": format!("{company} - Platform renewal"),
                    "StageName": "Negotiation/Review",
                    "CloseDate": format_date(self.today + Duration::days(45)),
                    "Amount": 250_000.0,
                    "Probability": 80.0,
                    "Type": "Existing Customer - Upgrade",
                }),
            );
            out.push(Customer {
                company,
                account,
                contact,
                opportunity,
            });
        }
        // The Tokyo call's attendee belongs to Fabrikam's Japanese arm.
        let japan = Company::new("Fabrikam Japan", "fabrikam.co.jp", "Tokyo", "Japan");
        let account = self.account(&carla, &japan, "Technology", "Customer - Channel");
        self.contact(
            &carla,
            &account,
            "Haruto",
            "Sato",
            "haruto.sato@fabrikam.co.jp",
            "Managing Director",
        );
        out
    }

    pub(super) fn business(&mut self, rng: &mut ChaCha8Rng, customers: &[Customer]) {
        let owners: Vec<String> = ["carla.mendes", "olivia.grant", "carla.mendes", "emma.chen"]
            .iter()
            .map(|l| self.user(&format!("{l}@contoso.com")))
            .collect();
        let mut accounts: Vec<(String, Company)> = Vec::new();
        for company in names::companies(rng, 116) {
            let owner = owners.choose(rng).cloned().unwrap_or_default();
            let industry = INDUSTRIES.choose(rng).copied().unwrap_or("Other");
            let kind = [
                "Prospect",
                "Customer - Direct",
                "Customer - Channel",
                "Other",
            ]
            .choose(rng)
            .copied()
            .unwrap_or("Prospect");
            let id = self.account(&owner, &company, industry, kind);
            accounts.push((id, company));
        }
        let mut contacts: Vec<(String, String)> = Vec::new();
        for (account, company) in &accounts {
            for _ in 0..rng.gen_range(2..=5) {
                let (first, last) = names::person(rng);
                let email = self.unique_email(first, last, &company.domain);
                let title = names::TITLES.choose(rng).copied().unwrap_or("Manager");
                let owner = owners.choose(rng).cloned().unwrap_or_default();
                let id = self.contact(&owner, account, first, last, &email, title);
                contacts.push((id, account.clone()));
            }
        }
        for company in names::companies(rng, 150).iter().map(|c| c.lead_company()) {
            let (first, last) = names::person(rng);
            let email = self.unique_email(first, last, &company.domain);
            let owner = owners.choose(rng).cloned().unwrap_or_default();
            let status = LEAD_STATUSES
                .choose(rng)
                .copied()
                .unwrap_or("Open - Not Contacted");
            self.insert(
                SObject::Lead,
                &owner,
                rng.gen_range(1..200),
                json!({
                    "FirstName": first,
                    "LastName": last,
                    "Company": company.name,
                    "Email": email,
                    "Title": names::TITLES.choose(rng).copied(),
                    "Status": status,
                    "LeadSource": (["Web", "Phone Inquiry", "Partner Referral", "Other"].choose(rng).copied()),
                    "City": company.city,
                    "Country": company.country,
                }),
            );
        }
        for _ in 0..200 {
            let Some((account, company)) = accounts.choose(rng) else {
                break;
            };
            let stage = STAGES.choose(rng).copied().unwrap_or("Prospecting");
            let product = names::PRODUCTS.choose(rng).copied().unwrap_or("Licences");
            let owner = owners.choose(rng).cloned().unwrap_or_default();
            self.insert(
                SObject::Opportunity,
                &owner,
                rng.gen_range(1..300),
                json!({
                    "AccountId": account,
                    "Name": format!("{} - {product}", company.name),
                    "StageName": stage,
                    "CloseDate": format_date(self.today + Duration::days(rng.gen_range(-180..180))),
                    "Amount": f64::from(rng.gen_range(5..900u32) * 1000),
                }),
            );
        }
        let with_customers = customers
            .iter()
            .map(|c| (c.contact.clone(), c.account.clone()));
        let all_contacts: Vec<(String, String)> =
            contacts.into_iter().chain(with_customers).collect();
        for _ in 0..120 {
            let Some((contact, account)) = all_contacts.choose(rng) else {
                break;
            };
            let owner = owners.choose(rng).cloned().unwrap_or_default();
            self.insert(
                SObject::Case,
                &owner,
                rng.gen_range(1..120),
                json!({
                    "AccountId": account,
                    "ContactId": contact,
                    "Subject": names::CASE_SUBJECTS.choose(rng).copied(),
                    "Status": CASE_STATUSES.choose(rng).copied(),
                    "Priority": (["High", "Medium", "Low"].choose(rng).copied()),
                    "Origin": (["Phone", "Email", "Web"].choose(rng).copied()),
                }),
            );
        }
    }

    /// The subsidiary's own small CRM.
    pub(super) fn nordic(&mut self, rng: &mut ChaCha8Rng) {
        let noah = self.user("noah.lind@contoso.com");
        let mut contacts = Vec::new();
        for company in names::nordic_companies() {
            let account = self.account(&noah, &company, "Retail", "Customer - Direct");
            for _ in 0..3 {
                let (first, last) = names::nordic_person(rng);
                let email = self.unique_email(first, last, &company.domain);
                contacts.push(self.contact(&noah, &account, first, last, &email, "Inköpschef"));
            }
        }
        let mut e = json!({
            "Subject": "Kundmöte: Nordvind Handel",
            "StartDateTime": self.at(2, 10, 0),
            "DurationInMinutes": 60,
            "OwnerId": noah,
        });
        e["WhoId"] = json!(contacts.first());
        self.insert(SObject::Event, &noah, 2, e);
    }
}
