//! The demo CRM built from [`crate::demo_org`]: each org with its organization record, role
//! hierarchy, users, permission sets and their assignments, and calendar sharing; for Contoso several hundred accounts, contacts,
//! leads, opportunities and cases with the executive's customers among them, and events on
//! the executive's calendar and a few others'. Generated from a fixed seed relative to the
//! start date, so the same day gives the same records.

use std::collections::{BTreeMap, BTreeSet};

mod business;
mod calendar;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::derive;
use super::ids;
use super::names::{self, Company};
use super::rest::events::EventRules;
use super::schema::{Initial, SObject};
use super::values::format_datetime;
use super::world::{CalendarShare, CrmAuth, CrmOrg, CrmWorld, OrgSettings, Record};
use crate::org::{DemoCrmOrg, DemoOrg};

const SEED: u64 = 0x5A1E_5F0C;
/// The instance (pod) names the orgs report, in the order of the demo's orgs.
const INSTANCES: &[&str] = &["NA224", "EU46"];

/// The demo CRM for a sandbox started at `now`.
pub(crate) fn world(org: &DemoOrg, now: DateTime<Utc>) -> CrmWorld {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut orgs: Vec<CrmOrg> = org
        .crm_orgs
        .iter()
        .enumerate()
        .map(|(i, spec)| base_org(org, spec, INSTANCES.get(i).copied().unwrap_or("NA224"), now))
        .collect();
    if let Some(contoso) = orgs.first_mut() {
        let mut b = Builder::new(contoso, now);
        let customers = b.customers();
        b.business(&mut rng, &customers);
        b.events(&customers);
    }
    if let Some(nordic) = orgs.get_mut(1) {
        let mut b = Builder::new(nordic, now);
        b.nordic(&mut rng);
    }
    CrmWorld {
        orgs,
        auth: CrmAuth::default(),
    }
}

fn base_org(demo: &DemoOrg, spec: &DemoCrmOrg, instance: &str, now: DateTime<Utc>) -> CrmOrg {
    let mut org = CrmOrg {
        id: spec.id.clone(),
        name: spec.name.clone(),
        pod: spec.pod.clone(),
        sequence: 0,
        case_number: 1000,
        settings: OrgSettings {
            multiday_events: spec.multiday_events,
            activity_sharing: spec.activity_sharing,
            calendar_default: spec.calendar_default,
            exchange_id_field: spec.exchange_id_field,
        },
        daily_api_requests: spec.daily_api_requests,
        time_zone: spec.time_zone.clone(),
        calendar_shares: Vec::new(),
        records: BTreeMap::new(),
    };
    let since = now - Duration::days(900);
    let users: Vec<_> = demo
        .users
        .iter()
        .filter(|u| u.crm.org_id == spec.id)
        .collect();
    let admin = users
        .first()
        .map(|u| u.crm.user_id.clone())
        .unwrap_or_default();
    let put = |org: &mut CrmOrg, object: SObject, id: String, fields: Value| {
        let mut map: BTreeMap<String, Value> = fields
            .as_object()
            .map(|m| m.clone().into_iter().collect())
            .unwrap_or_default();
        map.insert("Id".into(), Value::String(id.clone()));
        stamp(&mut map, &admin, since, since);
        org.records.insert(
            id,
            Record {
                object,
                fields: map,
                deleted: None,
            },
        );
    };
    put(
        &mut org,
        SObject::Organization,
        spec.id.clone(),
        json!({
            "Name": spec.name,
            "OrganizationType": "Enterprise Edition",
            "InstanceName": instance,
            "IsSandbox": false,
            "TimeZoneSidKey": spec.time_zone,
            "DefaultLocaleSidKey": "en_US",
            "LanguageLocaleKey": "en_US",
        }),
    );
    for role in &spec.roles {
        put(
            &mut org,
            SObject::UserRole,
            role.id.clone(),
            json!({
                "Name": role.name,
                "DeveloperName": role.name.replace(' ', "_"),
                "ParentRoleId": role.parent,
            }),
        );
    }
    for user in &users {
        let manager = manager_of(spec, &users, &user.crm.role_id);
        let initial: String = user.given_name.chars().take(1).collect();
        let alias: String = format!("{initial}{}", user.surname)
            .to_lowercase()
            .chars()
            .take(8)
            .collect();
        put(
            &mut org,
            SObject::User,
            user.crm.user_id.clone(),
            json!({
                "Username": user.crm.username,
                "FirstName": user.given_name,
                "LastName": user.surname,
                "Name": user.display_name,
                "Alias": alias,
                "Email": user.address,
                "Title": user.job_title,
                "CompanyName": spec.name,
                "Department": spec.roles.iter().find(|r| r.id == user.crm.role_id).map(|r| r.name.clone()),
                "IsActive": true,
                "UserRoleId": user.crm.role_id,
                "ManagerId": manager,
                "TimeZoneSidKey": spec.time_zone,
                "LocaleSidKey": "en_US",
                "LanguageLocaleKey": "en_US",
                "UserType": "Standard",
            }),
        );
    }
    for set in &spec.permission_sets {
        put(
            &mut org,
            SObject::PermissionSet,
            set.id.clone(),
            json!({
                "Name": set.name,
                "Label": set.label,
                "Description": set.description,
                "IsOwnedByProfile": set.is_owned_by_profile,
                "IsCustom": !set.is_owned_by_profile,
                "NamespacePrefix": null,
            }),
        );
    }
    // Each user holds their profile's own permission set and those assigned to them; the
    // assignments' ids follow the users' order.
    for (n, user) in users.iter().enumerate() {
        let held = spec
            .permission_sets
            .iter()
            .filter(|set| set.is_owned_by_profile || user.crm.permission_sets.contains(&set.name));
        for (k, set) in held.enumerate() {
            let seq = 400 + 10 * u64::try_from(n).unwrap_or(0) + u64::try_from(k).unwrap_or(0);
            put(
                &mut org,
                SObject::PermissionSetAssignment,
                ids::make(SObject::PermissionSetAssignment.prefix(), &spec.pod, seq),
                json!({
                    "AssigneeId": user.crm.user_id,
                    "PermissionSetId": set.id,
                    "ExpirationDate": null,
                    "IsActive": true,
                }),
            );
        }
    }
    let user_id = |address: &str| {
        users
            .iter()
            .find(|u| u.address == address)
            .map(|u| u.crm.user_id.clone())
    };
    org.calendar_shares = demo
        .calendar_sharing
        .iter()
        .filter_map(|s| {
            Some(CalendarShare {
                owner: user_id(&s.owner)?,
                grantee: user_id(&s.grantee)?,
                access: s.access,
            })
        })
        .collect();
    // Keep record sequence numbers clear of the users' and roles' fixed ones.
    org.sequence = 10_000;
    org
}

/// The manager of a user: whoever holds the parent role.
fn manager_of(spec: &DemoCrmOrg, users: &[&crate::org::DemoUser], role: &str) -> Option<String> {
    let parent = spec.roles.iter().find(|r| r.id == role)?.parent.as_ref()?;
    users
        .iter()
        .find(|u| &u.crm.role_id == parent)
        .map(|u| u.crm.user_id.clone())
}

fn stamp(
    fields: &mut BTreeMap<String, Value>,
    by: &str,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
) {
    let t = |t: DateTime<Utc>| Value::String(format_datetime(t));
    fields.insert("IsDeleted".into(), Value::Bool(false));
    fields.insert("CreatedDate".into(), t(created));
    fields.insert("CreatedById".into(), Value::String(by.to_string()));
    fields.insert("LastModifiedDate".into(), t(modified));
    fields.insert("LastModifiedById".into(), Value::String(by.to_string()));
    fields.insert("SystemModstamp".into(), t(modified));
}

/// A customer of the executive's meetings, as the CRM knows them.
struct Customer {
    company: &'static str,
    account: String,
    contact: String,
    opportunity: String,
}

struct Builder<'a> {
    org: &'a mut CrmOrg,
    now: DateTime<Utc>,
    today: NaiveDate,
    zone: Tz,
    emails: BTreeSet<String>,
}

impl<'a> Builder<'a> {
    fn new(org: &'a mut CrmOrg, now: DateTime<Utc>) -> Builder<'a> {
        let zone = org.time_zone.parse().unwrap_or(Tz::UTC);
        Builder {
            org,
            now,
            today: now.with_timezone(&zone).date_naive(),
            zone,
            emails: BTreeSet::new(),
        }
    }

    fn user(&self, address: &str) -> String {
        self.org
            .user_by_login(address)
            .map(|u| u.id().to_string())
            .unwrap_or_default()
    }

    /// Insert a record of `object` created by `by` `days_ago` days before now.
    fn insert(&mut self, object: SObject, by: &str, days_ago: i64, fields: Value) -> String {
        let id = self.org.new_id(object);
        let mut map: BTreeMap<String, Value> = self
            .org
            .schema()
            .object(object)
            .all_fields()
            .filter_map(|f| match f.default {
                Some(Initial::Flag(b)) => Some((f.name.to_string(), Value::Bool(b))),
                Some(Initial::Text(t)) => Some((f.name.to_string(), Value::String(t.into()))),
                None => None,
            })
            .collect();
        if let Some(given) = fields.as_object() {
            map.extend(given.clone());
        }
        map.insert("Id".into(), Value::String(id.clone()));
        map.entry("OwnerId".to_string())
            .or_insert_with(|| Value::String(by.to_string()));
        if object == SObject::Case {
            self.org.case_number += 1;
            map.insert(
                "CaseNumber".into(),
                Value::String(format!("{:08}", self.org.case_number)),
            );
        }
        // Spread creation over the day so records do not share a timestamp.
        let seq = i64::try_from(self.org.sequence % 600).unwrap_or(0);
        let created = self.now - Duration::days(days_ago) - Duration::minutes(seq);
        stamp(&mut map, by, created, created);
        if object == SObject::Event {
            let owner = map
                .get("OwnerId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let rules = EventRules {
                multiday_events: true,
                zone: self.org.time_zone_of(&owner),
                creating: true,
            };
            let given: BTreeSet<String> = fields
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            if let Err(e) = rules.apply(&mut map, &given) {
                tracing::error!(error = ?e, "a seeded event breaks the Event rules");
            }
        }
        derive::complete(self.org, object, &mut map, created);
        self.org.records.insert(
            id.clone(),
            Record {
                object,
                fields: map,
                deleted: None,
            },
        );
        id
    }

    fn unique_email(&mut self, first: &str, last: &str, domain: &str) -> String {
        let base = format!("{}.{}", names::mail_part(first), names::mail_part(last));
        let mut candidate = format!("{base}@{domain}");
        let mut n = 2;
        while !self.emails.insert(candidate.clone()) {
            candidate = format!("{base}{n}@{domain}");
            n += 1;
        }
        candidate
    }

    fn account(&mut self, owner: &str, company: &Company, industry: &str, kind: &str) -> String {
        self.insert(
            SObject::Account,
            owner,
            400,
            json!({
                "Name": company.name,
                "Type": kind,
                "Industry": industry,
                "Website": format!("https://www.{}", company.domain),
                "Phone": company.phone,
                "BillingCity": company.city,
                "BillingCountry": company.country,
            }),
        )
    }

    fn contact(
        &mut self,
        owner: &str,
        account: &str,
        first: &str,
        last: &str,
        email: &str,
        title: &str,
    ) -> String {
        self.emails.insert(email.to_string());
        self.insert(
            SObject::Contact,
            owner,
            300,
            json!({
                "AccountId": account,
                "FirstName": first,
                "LastName": last,
                "Email": email,
                "Title": title,
            }),
        )
    }

    /// A local time on a day relative to today, in the org's time zone.
    fn at(&self, days: i64, h: u32, m: u32) -> String {
        let day = self.today + Duration::days(days);
        let local = day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
        let utc = self
            .zone
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc));
        format_datetime(utc)
    }

    fn delete(&mut self, id: &str, by: &str, when: DateTime<Utc>) {
        if let Some(r) = self.org.records.get_mut(id) {
            r.deleted = Some(when);
            r.fields.insert("IsDeleted".into(), Value::Bool(true));
            r.fields.insert(
                "SystemModstamp".into(),
                Value::String(format_datetime(when)),
            );
            r.fields
                .insert("LastModifiedById".into(), Value::String(by.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_same_day_gives_the_same_crm_with_several_hundred_records() {
        let org = crate::org::demo_org();
        let a = world(&org, Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap());
        let b = world(&org, Utc.with_ymd_and_hms(2026, 3, 2, 18, 30, 0).unwrap());
        let names = |w: &CrmWorld| {
            w.orgs[0]
                .records
                .values()
                .map(|r| (r.id().to_string(), r.text("Name").map(str::to_string)))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        let count = |object: SObject| {
            a.orgs[0]
                .records
                .values()
                .filter(|r| r.object == object)
                .count()
        };
        assert!(
            count(SObject::Contact) >= 300,
            "{}",
            count(SObject::Contact)
        );
        for object in [
            SObject::Account,
            SObject::Lead,
            SObject::Opportunity,
            SObject::Case,
        ] {
            assert!(count(object) >= 100, "{object:?}: {}", count(object));
        }
        // Every demo person has a CRM user with the same address, in one org or the other.
        for user in &org.users {
            let crm = a
                .org(&user.crm.org_id)
                .and_then(|o| o.user(&user.crm.user_id));
            assert_eq!(
                crm.and_then(|u| u.text("Email")),
                Some(user.address.as_str())
            );
        }
    }
}
