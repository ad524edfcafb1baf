//! Realistic names for the demo CRM: companies (Microsoft's fictitious brands and their
//! regional arms), people, titles, products and case subjects, picked with the seed's random
//! generator so that the same seed gives the same names.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A company as an account or a lead's employer.
#[derive(Debug, Clone)]
pub(crate) struct Company {
    pub name: String,
    pub domain: String,
    pub city: String,
    pub country: String,
    pub phone: String,
}

impl Company {
    pub fn new(name: &str, domain: &str, city: &str, country: &str) -> Company {
        let digits: u32 = name.bytes().map(u32::from).sum::<u32>() % 9000 + 1000;
        Company {
            name: name.to_string(),
            domain: domain.to_string(),
            city: city.to_string(),
            country: country.to_string(),
            phone: format!("+1 206 555 {digits}"),
        }
    }

    /// The same brand as a prospect of another shape (leads are not yet accounts).
    pub fn lead_company(&self) -> Company {
        Company {
            name: format!("{} Group", self.name),
            ..self.clone()
        }
    }
}

const BRANDS: &[(&str, &str)] = &[
    ("Alpine Ski House", "alpineskihouse.com"),
    ("Bellows College", "bellowscollege.com"),
    ("Best For You Organics", "bestforyouorganic.com"),
    ("Blue Yonder Airlines", "blueyonderairlines.com"),
    ("City Power & Light", "cpandl.com"),
    ("Coho Winery", "cohowinery.com"),
    ("Consolidated Messenger", "consolidatedmessenger.com"),
    ("Fourth Coffee", "fourthcoffee.com"),
    ("Graphic Design Institute", "graphicdesigninstitute.com"),
    ("Humongous Insurance", "humongousinsurance.com"),
    ("Lamna Healthcare", "lamnahealthcare.com"),
    ("Lucerne Publishing", "lucernepublishing.com"),
    ("Margie's Travel", "margiestravel.com"),
    (
        "Munson's Pickles and Preserves",
        "munsonspicklesandpreservesfarm.com",
    ),
    ("Proseware", "proseware.com"),
    ("Relecloud", "relecloud.com"),
    ("School of Fine Art", "fineartschool.net"),
    ("Southridge Video", "southridgevideo.com"),
    ("Trey Research", "treyresearch.net"),
    ("VanArsdel", "vanarsdelltd.com"),
    ("Wide World Importers", "wideworldimporters.com"),
    ("Wingtip Toys", "wingtiptoys.com"),
    ("A. Datum Corporation", "adatum.com"),
    ("Baldwin Museum of Science", "baldwinmuseumofscience.com"),
    ("Fincher Architects", "fincherarchitects.com"),
    ("First Up Consultants", "firstupconsultants.com"),
    ("Nod Publishers", "nodpublishers.com"),
    ("Northwind Health", "northwindhealth.com"),
    ("Contoso Pharmaceuticals", "contosopharma.com"),
    ("Datum Analytics", "datumanalytics.com"),
];

const ARMS: &[(&str, &str, &str)] = &[
    ("", "Seattle", "United States"),
    (" Europe", "Amsterdam", "Netherlands"),
    (" Asia Pacific", "Singapore", "Singapore"),
    (" Canada", "Toronto", "Canada"),
    (" Germany", "Munich", "Germany"),
    (" UK", "London", "United Kingdom"),
    (" Australia", "Sydney", "Australia"),
    (" Brazil", "São Paulo", "Brazil"),
    (" France", "Lyon", "France"),
    (" Mexico", "Monterrey", "Mexico"),
];

/// `n` distinct companies, in a seeded order.
pub(crate) fn companies(rng: &mut ChaCha8Rng, n: usize) -> Vec<Company> {
    let mut all: Vec<Company> = ARMS
        .iter()
        .flat_map(|(arm, city, country)| {
            BRANDS.iter().map(move |(brand, domain)| {
                Company::new(&format!("{brand}{arm}"), domain, city, country)
            })
        })
        .collect();
    all.shuffle(rng);
    all.truncate(n);
    all
}

const FIRST: &[&str] = &[
    "James", "Maria", "Wei", "Aisha", "Lukas", "Sofia", "Mateo", "Hana", "Oliver", "Priscila",
    "Kenji", "Amara", "Noor", "Elena", "Samuel", "Chloe", "Diego", "Ingrid", "Ravi", "Fatima",
    "Thomas", "Yuki", "Grace", "Omar", "Lena", "Marcus", "Zoe", "Andrei", "Camila", "Tobias",
    "Mei", "Jonas", "Leila", "Victor", "Nadia", "Hugo", "Ama", "Erik", "Julia", "Rafael",
];

const LAST: &[&str] = &[
    "Anderson",
    "Okafor",
    "Nakamura",
    "Fischer",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Lindqvist",
    "Moreno",
    "Patel",
    "O'Brien",
    "Dubois",
    "Novak",
    "Tanaka",
    "Silva",
    "Jensen",
    "Morales",
    "Cohen",
    "Nguyen",
    "Schmidt",
    "Campbell",
    "Alvarez",
    "Kim",
    "Bianchi",
    "Mensah",
    "Larsen",
    "Costa",
    "Ivanova",
    "Walsh",
    "Hoffmann",
    "Sato",
    "Mendoza",
    "Berg",
    "Khan",
    "Ferreira",
    "Murphy",
    "Weber",
    "Chen",
    "Garcia",
    "Petrov",
];

pub(crate) fn person(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    (
        FIRST[rng.gen_range(0..FIRST.len())],
        LAST[rng.gen_range(0..LAST.len())],
    )
}

const NORDIC_FIRST: &[&str] = &[
    "Astrid", "Björn", "Elsa", "Lars", "Maja", "Nils", "Sigrid", "Oskar",
];
const NORDIC_LAST: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
];

pub(crate) fn nordic_person(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    (
        NORDIC_FIRST[rng.gen_range(0..NORDIC_FIRST.len())],
        NORDIC_LAST[rng.gen_range(0..NORDIC_LAST.len())],
    )
}

/// The subsidiary's own customers.
pub(crate) fn nordic_companies() -> Vec<Company> {
    [
        ("Nordvind Handel AB", "nordvindhandel.se", "Göteborg"),
        ("Fjällstugan Resor", "fjallstuganresor.se", "Östersund"),
        ("Skärgård Livs", "skargardlivs.se", "Stockholm"),
        ("Malmö Cykelverkstad", "malmocykel.se", "Malmö"),
    ]
    .iter()
    .map(|(name, domain, city)| Company::new(name, domain, city, "Sweden"))
    .collect()
}

/// The part of an e-mail address a name gives: lowercase ASCII letters only.
pub(crate) fn mail_part(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' | 'ø' => 'o',
            'é' | 'è' => 'e',
            other => other.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_lowercase)
        .collect()
}

pub(crate) const TITLES: &[&str] = &[
    "Chief Executive Officer",
    "Chief Financial Officer",
    "VP of Operations",
    "Head of Procurement",
    "IT Director",
    "Purchasing Manager",
    "Office Manager",
    "Director of Sales",
    "Marketing Lead",
    "Project Manager",
];

pub(crate) const PRODUCTS: &[&str] = &[
    "Platform renewal",
    "Enterprise licences",
    "Support upgrade",
    "Pilot",
    "Expansion",
    "Training package",
    "Managed services",
];

pub(crate) const CASE_SUBJECTS: &[&str] = &[
    "Invoice does not match the order",
    "Cannot sign in to the portal",
    "Delivery delayed",
    "Request for a product demo",
    "Licence count needs to change",
    "Data export fails",
    "Question about the renewal terms",
    "Training session rescheduling",
];
