//! The field tables of the objects served, after the Object Reference (standard fields a
//! calendar-sync client and a record picker meet, and the permission sets assigned to users)
//! plus the `Onbehalf_Exchange_Id__c` external id that Onbehalf's CRM package adds to Event,
//! which an org without the package lacks.

use super::schema::{field, FieldDef, Initial, Kind, ObjectDef, SObject};

const USER_REF: Kind = Kind::Reference(&[SObject::User]);
const ACCOUNT_REF: Kind = Kind::Reference(&[SObject::Account]);

/// The system fields every object has.
pub(crate) const SYSTEM: &[FieldDef] = &[
    field("Id", "Record ID", Kind::Id).read_only(),
    field("IsDeleted", "Deleted", Kind::Boolean)
        .read_only()
        .defaulted(Initial::Flag(false)),
    field("CreatedDate", "Created Date", Kind::DateTime).read_only(),
    field("CreatedById", "Created By ID", USER_REF)
        .read_only()
        .related("CreatedBy"),
    field("LastModifiedDate", "Last Modified Date", Kind::DateTime).read_only(),
    field("LastModifiedById", "Last Modified By ID", USER_REF)
        .read_only()
        .related("LastModifiedBy"),
    field("SystemModstamp", "System Modstamp", Kind::DateTime).read_only(),
];

/// The system fields of `PermissionSet`, which has no recycle bin (no `IsDeleted`).
pub(crate) const SETUP_SYSTEM: &[FieldDef] = &[
    field("Id", "Permission Set ID", Kind::Id).read_only(),
    field("CreatedDate", "Created Date", Kind::DateTime).read_only(),
    field("CreatedById", "Created By ID", USER_REF)
        .read_only()
        .related("CreatedBy"),
    field("LastModifiedDate", "Last Modified Date", Kind::DateTime).read_only(),
    field("LastModifiedById", "Last Modified By ID", USER_REF)
        .read_only()
        .related("LastModifiedBy"),
    field("SystemModstamp", "System Modstamp", Kind::DateTime).read_only(),
];

/// The system fields of `PermissionSetAssignment`: its id and when it was assigned.
pub(crate) const ASSIGNMENT_SYSTEM: &[FieldDef] = &[
    field("Id", "Permission Set Assignment ID", Kind::Id).read_only(),
    field("SystemModstamp", "Date Assigned", Kind::DateTime).read_only(),
];

const SALUTATIONS: &[&str] = &["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."];
const LEAD_SOURCES: &[&str] = &[
    "Web",
    "Phone Inquiry",
    "Partner Referral",
    "Purchased List",
    "Other",
];
pub(crate) const INDUSTRIES: &[&str] = &[
    "Agriculture",
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Finance",
    "Food & Beverage",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Manufacturing",
    "Media",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
    "Other",
];
pub(crate) const STAGES: &[&str] = &[
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
];
pub(crate) const LEAD_STATUSES: &[&str] = &[
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
];
pub(crate) const CASE_STATUSES: &[&str] = &["New", "Working", "Escalated", "Closed"];
pub(crate) const SHOW_AS: &[&str] = &["Busy", "OutOfOffice", "Free"];

pub(crate) const ACCOUNT: ObjectDef = ObjectDef {
    name: "Account",
    label: "Account",
    plural: "Accounts",
    prefix: "001",
    writable: true,
    system: SYSTEM,
    fields: &[
        field("Name", "Account Name", Kind::Text(255))
            .required()
            .name_field(),
        field(
            "Type",
            "Account Type",
            Kind::Picklist(&[
                "Prospect",
                "Customer - Direct",
                "Customer - Channel",
                "Channel Partner / Reseller",
                "Installation Partner",
                "Technology Partner",
                "Other",
            ]),
        ),
        field("Industry", "Industry", Kind::Picklist(INDUSTRIES)),
        field("Phone", "Account Phone", Kind::Phone),
        field("Website", "Website", Kind::Url),
        field("BillingCity", "Billing City", Kind::Text(40)),
        field("BillingCountry", "Billing Country", Kind::Text(80)),
        field("Description", "Account Description", Kind::TextArea(32000)),
        field("NumberOfEmployees", "Employees", Kind::Int),
        field("AnnualRevenue", "Annual Revenue", Kind::Currency),
        field("OwnerId", "Owner ID", USER_REF).related("Owner"),
    ],
};

pub(crate) const CONTACT: ObjectDef = ObjectDef {
    name: "Contact",
    label: "Contact",
    plural: "Contacts",
    prefix: "003",
    writable: true,
    system: SYSTEM,
    fields: &[
        field("AccountId", "Account ID", ACCOUNT_REF).related("Account"),
        field("Salutation", "Salutation", Kind::Picklist(SALUTATIONS)),
        field("FirstName", "First Name", Kind::Text(40)),
        field("LastName", "Last Name", Kind::Text(80)).required(),
        field("Name", "Full Name", Kind::Text(121))
            .read_only()
            .name_field(),
        field("Title", "Title", Kind::Text(128)),
        field("Department", "Department", Kind::Text(80)),
        field("Email", "Email", Kind::Email),
        field("Phone", "Business Phone", Kind::Phone),
        field("MobilePhone", "Mobile Phone", Kind::Phone),
        field("MailingCity", "Mailing City", Kind::Text(40)),
        field("MailingCountry", "Mailing Country", Kind::Text(80)),
        field("LeadSource", "Lead Source", Kind::Picklist(LEAD_SOURCES)),
        field("Description", "Contact Description", Kind::TextArea(32000)),
        field("OwnerId", "Owner ID", USER_REF).related("Owner"),
    ],
};

pub(crate) const LEAD: ObjectDef = ObjectDef {
    name: "Lead",
    label: "Lead",
    plural: "Leads",
    prefix: "00Q",
    writable: true,
    system: SYSTEM,
    fields: &[
        field("Salutation", "Salutation", Kind::Picklist(SALUTATIONS)),
        field("FirstName", "First Name", Kind::Text(40)),
        field("LastName", "Last Name", Kind::Text(80)).required(),
        field("Name", "Full Name", Kind::Text(121))
            .read_only()
            .name_field(),
        field("Title", "Title", Kind::Text(128)),
        field("Company", "Company", Kind::Text(255)).required(),
        field("Email", "Email", Kind::Email),
        field("Phone", "Phone", Kind::Phone),
        field("Status", "Status", Kind::Picklist(LEAD_STATUSES))
            .defaulted(Initial::Text("Open - Not Contacted")),
        field("LeadSource", "Lead Source", Kind::Picklist(LEAD_SOURCES)),
        field("Industry", "Industry", Kind::Picklist(INDUSTRIES)),
        field("City", "City", Kind::Text(40)),
        field("Country", "Country", Kind::Text(80)),
        field("Description", "Description", Kind::TextArea(32000)),
        field("IsConverted", "Converted", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field("OwnerId", "Owner ID", USER_REF).related("Owner"),
    ],
};

pub(crate) const OPPORTUNITY: ObjectDef = ObjectDef {
    name: "Opportunity",
    label: "Opportunity",
    plural: "Opportunities",
    prefix: "006",
    writable: true,
    system: SYSTEM,
    fields: &[
        field("AccountId", "Account ID", ACCOUNT_REF).related("Account"),
        field("Name", "Name", Kind::Text(120))
            .required()
            .name_field(),
        field("StageName", "Stage", Kind::Picklist(STAGES)).required(),
        field("CloseDate", "Close Date", Kind::Date).required(),
        field("Amount", "Amount", Kind::Currency),
        field("Probability", "Probability (%)", Kind::Percent),
        field(
            "Type",
            "Opportunity Type",
            Kind::Picklist(&[
                "Existing Customer - Upgrade",
                "Existing Customer - Replacement",
                "Existing Customer - Downgrade",
                "New Customer",
            ]),
        ),
        field("LeadSource", "Lead Source", Kind::Picklist(LEAD_SOURCES)),
        field("Description", "Description", Kind::TextArea(32000)),
        field("IsClosed", "Closed", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field("IsWon", "Won", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field("OwnerId", "Owner ID", USER_REF).related("Owner"),
    ],
};

pub(crate) const CASE: ObjectDef = ObjectDef {
    name: "Case",
    label: "Case",
    plural: "Cases",
    prefix: "500",
    writable: true,
    system: SYSTEM,
    fields: &[
        field("CaseNumber", "Case Number", Kind::Text(30))
            .read_only()
            .name_field(),
        field("AccountId", "Account ID", ACCOUNT_REF).related("Account"),
        field(
            "ContactId",
            "Contact ID",
            Kind::Reference(&[SObject::Contact]),
        )
        .related("Contact"),
        field("Subject", "Subject", Kind::Text(255)),
        field("Description", "Description", Kind::TextArea(32000)),
        field("Status", "Status", Kind::Picklist(CASE_STATUSES)).defaulted(Initial::Text("New")),
        field(
            "Priority",
            "Priority",
            Kind::Picklist(&["High", "Medium", "Low"]),
        )
        .defaulted(Initial::Text("Medium")),
        field(
            "Origin",
            "Case Origin",
            Kind::Picklist(&["Phone", "Email", "Web"]),
        ),
        field(
            "Type",
            "Case Type",
            Kind::Picklist(&[
                "Mechanical",
                "Electrical",
                "Electronic",
                "Structural",
                "Other",
            ]),
        ),
        field("IsClosed", "Closed", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field("ClosedDate", "Closed Date", Kind::DateTime).read_only(),
        field("OwnerId", "Owner ID", USER_REF).related("Owner"),
    ],
};

pub(crate) const EVENT: ObjectDef = ObjectDef {
    name: "Event",
    label: "Event",
    plural: "Events",
    prefix: "00U",
    writable: true,
    system: SYSTEM,
    fields: &[
        field(
            "WhoId",
            "Name ID",
            Kind::Reference(&[SObject::Contact, SObject::Lead]),
        )
        .related("Who"),
        field(
            "WhatId",
            "Related To ID",
            Kind::Reference(&[SObject::Account, SObject::Opportunity, SObject::Case]),
        )
        .related("What"),
        field("AccountId", "Account ID", ACCOUNT_REF)
            .read_only()
            .related("Account"),
        field(
            "Subject",
            "Subject",
            Kind::Combobox(&["Call", "Email", "Meeting", "Send Letter/Quote", "Other"]),
        )
        .name_field(),
        field("Location", "Location", Kind::Text(255)),
        field("Description", "Description", Kind::TextArea(32000)),
        field("StartDateTime", "Start Date Time", Kind::DateTime),
        field("EndDateTime", "End Date Time", Kind::DateTime),
        field("DurationInMinutes", "Duration", Kind::Int),
        field("ActivityDate", "Due Date Only", Kind::Date),
        field("ActivityDateTime", "Due Date Time", Kind::DateTime),
        field("EndDate", "End Date", Kind::Date).read_only(),
        field("IsAllDayEvent", "All-Day Event", Kind::Boolean).defaulted(Initial::Flag(false)),
        field("IsPrivate", "Private", Kind::Boolean).defaulted(Initial::Flag(false)),
        // Assumption: ShowAs is a restricted picklist (its values are fixed by the calendar).
        field("ShowAs", "Show Time As", Kind::Picklist(SHOW_AS))
            .defaulted(Initial::Text("Busy"))
            .restricted(),
        field(
            "Type",
            "Type",
            Kind::Picklist(&["Call", "Email", "Meeting", "Other"]),
        ),
        field("IsReminderSet", "Reminder Set", Kind::Boolean).defaulted(Initial::Flag(false)),
        field("ReminderDateTime", "Reminder Date/Time", Kind::DateTime),
        field("IsGroupEvent", "Group Event", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field(
            "GroupEventType",
            "Group Event Type",
            Kind::Picklist(&["0", "1", "2"]),
        )
        .read_only(),
        field("IsChild", "Is Child", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field(
            "IsRecurrence",
            "Create Recurring Series of Events",
            Kind::Boolean,
        )
        .read_only()
        .defaulted(Initial::Flag(false)),
        field("IsArchived", "Archived", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field("OwnerId", "Assigned To ID", USER_REF).related("Owner"),
        field(
            "Onbehalf_Exchange_Id__c",
            "Exchange Item ID",
            Kind::Text(255),
        )
        .package_external_id(),
    ],
};

pub(crate) const USER: ObjectDef = ObjectDef {
    name: "User",
    label: "User",
    plural: "Users",
    prefix: "005",
    writable: false,
    system: SYSTEM,
    fields: &[
        field("Username", "Username", Kind::Text(80)),
        field("FirstName", "First Name", Kind::Text(40)),
        field("LastName", "Last Name", Kind::Text(80)).required(),
        field("Name", "Full Name", Kind::Text(121)).name_field(),
        field("Alias", "Alias", Kind::Text(8)).required(),
        field("Email", "Email", Kind::Email).required(),
        field("Title", "Title", Kind::Text(80)),
        field("CompanyName", "Company Name", Kind::Text(80)),
        field("Department", "Department", Kind::Text(80)),
        field("IsActive", "Active", Kind::Boolean).defaulted(Initial::Flag(true)),
        field(
            "UserRoleId",
            "Role ID",
            Kind::Reference(&[SObject::UserRole]),
        )
        .related("UserRole"),
        field("ManagerId", "Manager ID", USER_REF).related("Manager"),
        field("TimeZoneSidKey", "Time Zone", Kind::Text(40)).required(),
        field("LocaleSidKey", "Locale", Kind::Text(40)).required(),
        field("LanguageLocaleKey", "Language", Kind::Text(40)).required(),
        field("UserType", "User Type", Kind::Text(40)).read_only(),
    ],
};

pub(crate) const USER_ROLE: ObjectDef = ObjectDef {
    name: "UserRole",
    label: "Role",
    plural: "Roles",
    prefix: "00E",
    writable: false,
    system: SYSTEM,
    fields: &[
        field("Name", "Name", Kind::Text(80))
            .required()
            .name_field(),
        field("DeveloperName", "Developer Name", Kind::Text(80)),
        field(
            "ParentRoleId",
            "Parent Role ID",
            Kind::Reference(&[SObject::UserRole]),
        ),
    ],
};

pub(crate) const ORGANIZATION: ObjectDef = ObjectDef {
    name: "Organization",
    label: "Organization",
    plural: "Organizations",
    prefix: "00D",
    writable: false,
    system: SYSTEM,
    fields: &[
        field("Name", "Name", Kind::Text(80))
            .required()
            .name_field(),
        field("OrganizationType", "Edition", Kind::Text(40)).read_only(),
        field("InstanceName", "Instance Name", Kind::Text(5)).read_only(),
        field("IsSandbox", "Is Sandbox", Kind::Boolean).read_only(),
        field("TimeZoneSidKey", "Default Time Zone", Kind::Text(40)),
        field("DefaultLocaleSidKey", "Default Locale", Kind::Text(40)),
        field("LanguageLocaleKey", "Default Language", Kind::Text(40)),
    ],
};

/// `PermissionSet` (API 22.0): a set of permissions given to users beside their profile's.
/// Each profile owns one too (`IsOwnedByProfile`), holding the profile's own permissions.
pub(crate) const PERMISSION_SET: ObjectDef = ObjectDef {
    name: "PermissionSet",
    label: "Permission Set",
    plural: "Permission Sets",
    prefix: "0PS",
    writable: false,
    system: SETUP_SYSTEM,
    fields: &[
        field("Name", "Permission Set Name", Kind::Text(80))
            .required()
            .name_field(),
        field("Label", "Permission Set Label", Kind::Text(80)).required(),
        field("Description", "Description", Kind::Text(255)),
        field("IsOwnedByProfile", "Is Owned By Profile", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field("IsCustom", "Custom", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
        field("NamespacePrefix", "Namespace Prefix", Kind::Text(15)).read_only(),
    ],
};

/// `PermissionSetAssignment` (API 22.0): one user's assignment to one permission set.
pub(crate) const PERMISSION_SET_ASSIGNMENT: ObjectDef = ObjectDef {
    name: "PermissionSetAssignment",
    label: "Permission Set Assignment",
    plural: "Permission Set Assignments",
    prefix: "0Pa",
    writable: false,
    system: ASSIGNMENT_SYSTEM,
    fields: &[
        field("AssigneeId", "Assignee ID", USER_REF)
            .required()
            .related("Assignee"),
        field(
            "PermissionSetId",
            "Permission Set ID",
            Kind::Reference(&[SObject::PermissionSet]),
        )
        .related("PermissionSet"),
        field("ExpirationDate", "Expires On", Kind::DateTime),
        field("IsActive", "Is Active", Kind::Boolean)
            .read_only()
            .defaulted(Initial::Flag(false)),
    ],
};
