//! Who and what the demo items name: colleagues, customers (whom the CRM knows as contacts
//! too), meeting titles, private appointments and everyone's own items.

pub(super) const COLLEAGUES: &[(&str, &str)] = &[
    ("Megan Bowen", "megan.bowen@contoso.com"),
    ("Lee Gu", "lee.gu@contoso.com"),
    ("Alex Wilber", "alex.wilber@contoso.com"),
    ("Nestor Wilke", "nestor.wilke@contoso.com"),
    ("Lynne Robbins", "lynne.robbins@contoso.com"),
    ("Diego Siciliani", "diego.siciliani@contoso.com"),
    ("Isaiah Langer", "isaiah.langer@contoso.com"),
    ("Johanna Lorenz", "johanna.lorenz@contoso.com"),
];

/// (company, contact name, contact address, city); the CRM knows them as contacts too.
pub(crate) const CUSTOMERS: &[(&str, &str, &str, &str)] = &[
    ("Fabrikam", "Pat Kim", "pat.kim@fabrikam.com", "Seattle"),
    (
        "Northwind Traders",
        "Sam Ortiz",
        "sam.ortiz@northwindtraders.com",
        "Chicago",
    ),
    (
        "Tailspin Toys",
        "Jordan Lee",
        "jordan.lee@tailspintoys.com",
        "Boston",
    ),
    (
        "Woodgrove Bank",
        "Avery Brooks",
        "avery.brooks@woodgrovebank.com",
        "New York",
    ),
    (
        "Litware",
        "Morgan Diaz",
        "morgan.diaz@litwareinc.com",
        "Atlanta",
    ),
    (
        "Adventure Works",
        "Riley Chen",
        "riley.chen@adventure-works.com",
        "Denver",
    ),
];

pub(super) const MEETINGS: &[(&str, &str)] = &[
    ("Budget review", "Board Room 4.01"),
    ("Product roadmap review", "Conference Room Aurora"),
    ("Quarterly business review prep", "Board Room 4.01"),
    ("Hiring committee", "Conference Room Juniper"),
    ("Marketing sync", "Microsoft Teams Meeting"),
    ("Finance update", "Conference Room Aurora"),
    ("Board deck review", "Board Room 4.01"),
    ("Strategy session", "Conference Room Summit"),
    ("Town hall prep", "Microsoft Teams Meeting"),
    ("Partner contract review", "Conference Room Juniper"),
];

pub(super) const PRIVATE: &[(&str, &str)] = &[
    ("Doctor appointment", "Harbor Medical Center"),
    ("Call with lawyer", ""),
    ("Dentist", "Bright Smile Dental"),
    ("Parent-teacher conference", "Lakeside Elementary"),
    ("Personal: bank appointment", "Woodgrove Bank, Main St"),
];

pub(super) const OWN_ITEMS: &[&str] = &[
    "Team standup",
    "Focus time",
    "Project sync",
    "Training: security awareness",
    "Inbox zero",
    "Coffee with Megan",
    "Lunch with Lee",
    "Expense reports",
];
