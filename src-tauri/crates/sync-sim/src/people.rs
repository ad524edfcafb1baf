//! The cast: an executive whose calendar is shared, two delegates with different rights, their
//! CRM users and a manager above the executive in the CRM's role hierarchy, and the CRM
//! records a share may link.

use onbehalf_engine::crm::{CrmRecord, RecordKind};

/// The CRM org every user signs in to.
pub const ORG: &str = "00Dsim0000000001AA";
/// Which CRM.
pub const CRM: &str = "salesforce";
/// The category that shares an item.
pub const SHARE_CATEGORY: &str = "CRM";
/// The CRM user above the executive in the role hierarchy (edits the executive's events).
pub const MANAGER_CRM: &str = "005sim000000MANAGR";

/// One of the three apps: who is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AppId {
    /// The executive: runs the scheduled sync of their own calendar.
    Owner,
    /// A delegate who may see private items, with full access to the executive's CRM calendar.
    DelegateA,
    /// A delegate without private-items access, who may only read the executive's CRM events.
    DelegateB,
}

impl AppId {
    pub const ALL: [AppId; 3] = [AppId::Owner, AppId::DelegateA, AppId::DelegateB];
    pub const DELEGATES: [AppId; 2] = [AppId::DelegateA, AppId::DelegateB];

    /// The Microsoft 365 address, lowercase.
    pub fn address(self) -> &'static str {
        match self {
            AppId::Owner => "olivia.grant@contoso.com",
            AppId::DelegateA => "aaron.patel@contoso.com",
            AppId::DelegateB => "bianca.ruiz@contoso.com",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AppId::Owner => "Olivia Grant",
            AppId::DelegateA => "Aaron Patel",
            AppId::DelegateB => "Bianca Ruiz",
        }
    }

    /// A short name for traces.
    pub fn short(self) -> &'static str {
        match self {
            AppId::Owner => "owner",
            AppId::DelegateA => "delegateA",
            AppId::DelegateB => "delegateB",
        }
    }

    /// The CRM user this person signs in as.
    pub fn crm_user(self) -> &'static str {
        match self {
            AppId::Owner => "005sim000000OLIVIA",
            AppId::DelegateA => "005sim000000AARONP",
            AppId::DelegateB => "005sim000000BIANCA",
        }
    }

    /// The app of a Microsoft 365 address.
    pub fn of_address(address: &str) -> Option<AppId> {
        AppId::ALL
            .into_iter()
            .find(|a| a.address().eq_ignore_ascii_case(address))
    }

    /// The app of a CRM user.
    pub fn of_crm_user(user: &str) -> Option<AppId> {
        AppId::ALL.into_iter().find(|a| a.crm_user() == user)
    }
}

/// Who edits in the CRM's own screens (not through Onbehalf).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrmPerson {
    /// A person's own CRM user.
    User(AppId),
    Manager,
}

impl CrmPerson {
    pub fn user_id(self) -> &'static str {
        match self {
            CrmPerson::User(app) => app.crm_user(),
            CrmPerson::Manager => MANAGER_CRM,
        }
    }
}

/// People outside the company who attend meetings.
pub const GUESTS: [&str; 3] = [
    "pat.kim@fabrikam.com",
    "lee.wong@northwind.com",
    "sam.berg@adatum.com",
];

/// The records a share may link: contacts and leads (who), accounts, opportunities and cases
/// (what). Every user may read them, as in an org whose records are public read/write.
pub fn records() -> Vec<CrmRecord> {
    let r = |kind, id: &str, name: &str| CrmRecord {
        kind,
        id: id.to_string(),
        name: name.to_string(),
        email: None,
        account: None,
        stage: None,
        number: None,
    };
    vec![
        r(RecordKind::Contact, "003sim000000PATKIM", "Pat Kim"),
        r(RecordKind::Contact, "003sim000000LEEWNG", "Lee Wong"),
        r(RecordKind::Lead, "00Qsim000000SAMBRG", "Sam Berg"),
        r(RecordKind::Account, "001sim00000FABRKM", "Fabrikam"),
        r(
            RecordKind::Opportunity,
            "006sim00000RENEWL",
            "Fabrikam renewal",
        ),
        r(RecordKind::Case, "500sim00000CASE01", "Case 00001001"),
    ]
}
