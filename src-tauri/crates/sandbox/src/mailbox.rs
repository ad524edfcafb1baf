//! Every mailbox's mail: the messages in each user's Inbox, Drafts and Sent Items, and what was
//! sent to addresses outside the organisation, which is kept and never sent. A message belongs
//! to one mailbox; sending it copies it into the Inbox of each recipient inside the
//! organisation and logs it once for the recipients outside. Graph's handlers and the control
//! API both come here; nothing in this module knows HTTP.

mod transport;

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::state::{Person, State};

pub(crate) use transport::{deliver, receive};
pub use transport::{InboundMail, MailAddress, MailBody, MailError, OutboundMail};

/// The mail folders the sandbox keeps, by their well-known names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Folder {
    Inbox,
    Drafts,
    SentItems,
}

impl Folder {
    pub const ALL: [Folder; 3] = [Folder::Inbox, Folder::Drafts, Folder::SentItems];

    /// The folder's well-known name, as a path segment may name it.
    pub fn well_known_name(self) -> &'static str {
        match self {
            Folder::Inbox => "inbox",
            Folder::Drafts => "drafts",
            Folder::SentItems => "sentitems",
        }
    }

    /// The `displayName` of an English mailbox.
    pub fn display_name(self) -> &'static str {
        match self {
            Folder::Inbox => "Inbox",
            Folder::Drafts => "Drafts",
            Folder::SentItems => "Sent Items",
        }
    }

    /// The key of the folder's id (see [`crate::ids::Kind::MailFolder`]); 0 is the root.
    pub fn tag(self) -> u64 {
        match self {
            Folder::Inbox => 1,
            Folder::Drafts => 2,
            Folder::SentItems => 3,
        }
    }

    pub fn from_tag(tag: u64) -> Option<Folder> {
        Folder::ALL.into_iter().find(|f| f.tag() == tag)
    }

    /// A folder by its well-known name, in any case.
    pub fn by_name(name: &str) -> Option<Folder> {
        Folder::ALL
            .into_iter()
            .find(|f| f.well_known_name().eq_ignore_ascii_case(name.trim()))
    }
}

/// All mail in the world.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct MailStore {
    pub messages: BTreeMap<u64, Message>,
    /// What was sent to addresses outside the organisation, oldest first.
    pub outbound: Vec<OutboundMail>,
}

/// One message in one mailbox.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Message {
    pub key: u64,
    /// Index of the mailbox (user) it is in.
    pub mailbox: usize,
    pub folder: Folder,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    /// When it arrived; for a draft, its last save.
    pub received: DateTime<Utc>,
    /// When it was sent; `None` for a draft.
    pub sent: Option<DateTime<Utc>>,
    /// Counts changes, for the change key.
    pub version: u64,
    pub subject: String,
    /// `text` or `html`.
    pub body_type: String,
    pub body: String,
    pub from: Option<Person>,
    pub sender: Option<Person>,
    pub to: Vec<Person>,
    pub cc: Vec<Person>,
    pub bcc: Vec<Person>,
    pub reply_to: Vec<Person>,
    pub is_draft: bool,
    pub is_read: bool,
    /// `low`, `normal` or `high`.
    pub importance: String,
    pub categories: Vec<String>,
    pub conversation_id: String,
    pub internet_message_id: String,
}

impl Message {
    /// Every recipient (To, Cc, Bcc), each address once, in that order.
    pub fn recipients(&self) -> Vec<&Person> {
        let mut seen = BTreeSet::new();
        self.to
            .iter()
            .chain(&self.cc)
            .chain(&self.bcc)
            .filter(|p| seen.insert(p.address.trim().to_lowercase()))
            .collect()
    }
}

/// Whether `text` looks like an SMTP address (`local@domain`): what Exchange can resolve.
pub(crate) fn is_address(text: &str) -> bool {
    let text = text.trim();
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text
                    .chars()
                    .any(|c| c.is_whitespace() || matches!(c, ';' | ',' | '<' | '>' | '"'))
        }
        None => false,
    }
}

/// `text` or `html`, in any case; `None` for anything else.
pub(crate) fn content_type(text: &str) -> Option<&'static str> {
    match text.trim() {
        t if t.eq_ignore_ascii_case("text") => Some("text"),
        t if t.eq_ignore_ascii_case("html") => Some("html"),
        _ => None,
    }
}

/// A recipient as Exchange keeps it: a directory user's address gets the user's display name
/// (as the create-message example shows a name for an address sent alone); any other address
/// keeps the name given, or its address when none was.
pub(crate) fn person(world: &State, address: &str, name: Option<&str>) -> Person {
    let address = address.trim();
    match world.user_by_address(address) {
        Some(user) => world.person(user),
        None => Person {
            name: name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .unwrap_or(address)
                .to_string(),
            address: address.to_string(),
        },
    }
}

fn digest(kind: &str, key: u64) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"onbehalf-sandbox mail ")
        .chain_update(kind.as_bytes())
        .chain_update(key.to_be_bytes())
        .finalize()
        .into()
}

/// A new conversation's opaque id, shaped like Exchange's (`AAQk…`).
pub(crate) fn new_conversation_id(key: u64) -> String {
    format!(
        "AAQk{}",
        STANDARD.encode(&digest("conversation", key)[..18])
    )
}

/// A new RFC 2822 message id in the domain of `from_address`.
pub(crate) fn new_internet_message_id(key: u64, from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map(|(_, d)| d.trim())
        .filter(|d| !d.is_empty())
        .unwrap_or("contoso.com");
    format!(
        "<{}@{}>",
        hex::encode(&digest("message", key)[..16]).to_uppercase(),
        domain.to_lowercase()
    )
}

/// The messages of one mailbox, optionally of one folder only.
pub(crate) fn in_mailbox(
    world: &State,
    mailbox: usize,
    folder: Option<Folder>,
) -> impl Iterator<Item = &Message> {
    world
        .mail
        .messages
        .values()
        .filter(move |m| m.mailbox == mailbox && folder.is_none_or(|f| m.folder == f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_folders_are_read_as_exchange_names_them() {
        assert!(is_address("customer@example.com"));
        for bad in ["", "customer", "a@", "@b", "a b@c.com", "a@b;c@d"] {
            assert!(!is_address(bad), "{bad}");
        }
        assert_eq!(Folder::by_name("SentItems"), Some(Folder::SentItems));
        assert_eq!(Folder::by_name("deleteditems"), None);
        assert_eq!(Folder::from_tag(Folder::Drafts.tag()), Some(Folder::Drafts));
        assert!(new_internet_message_id(7, "olivia.grant@contoso.com").ends_with("@contoso.com>"));
        assert_ne!(new_conversation_id(7), new_conversation_id(8));
    }
}
