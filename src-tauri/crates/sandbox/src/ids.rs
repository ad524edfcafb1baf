//! Opaque item ids. An id names the mailbox it belongs to, so an id read in one mailbox is
//! "not found" in another, as in Exchange; a short checksum makes a mangled id "malformed"
//! rather than "not found".

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

const PREFIX: &str = "AAMk";
const PAYLOAD: usize = 15;
const CHECK: usize = 3;

/// What an id points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Calendar,
    /// A single item or a series master.
    Event,
    /// One occurrence of a series; `extra` is the day of its original start.
    Occurrence,
    CalendarGroup,
    /// A sharee's local entry for a calendar shared with them.
    SharedLink,
    /// A mail message; `key` is the message's.
    Message,
    /// A mail folder; `key` is the folder's tag (see `mailbox::Folder`).
    MailFolder,
}

impl Kind {
    fn tag(self) -> u8 {
        match self {
            Kind::Calendar => 1,
            Kind::Event => 2,
            Kind::Occurrence => 3,
            Kind::CalendarGroup => 4,
            Kind::SharedLink => 5,
            Kind::Message => 6,
            Kind::MailFolder => 7,
        }
    }

    fn from_tag(tag: u8) -> Option<Kind> {
        match tag {
            1 => Some(Kind::Calendar),
            2 => Some(Kind::Event),
            3 => Some(Kind::Occurrence),
            4 => Some(Kind::CalendarGroup),
            5 => Some(Kind::SharedLink),
            6 => Some(Kind::Message),
            7 => Some(Kind::MailFolder),
            _ => None,
        }
    }
}

/// The decoded content of an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ItemId {
    /// Index of the mailbox (user) the id is valid in.
    pub mailbox: usize,
    pub kind: Kind,
    pub key: u64,
    pub extra: u32,
}

impl ItemId {
    pub fn new(mailbox: usize, kind: Kind, key: u64) -> ItemId {
        ItemId {
            mailbox,
            kind,
            key,
            extra: 0,
        }
    }

    pub fn encode(self) -> String {
        let mut bytes = Vec::with_capacity(PAYLOAD + CHECK);
        // Mailbox indexes are small (the demo org has eight users); saturate rather than wrap.
        let mailbox = u16::try_from(self.mailbox).unwrap_or(u16::MAX);
        bytes.extend_from_slice(&mailbox.to_be_bytes());
        bytes.push(self.kind.tag());
        bytes.extend_from_slice(&self.key.to_be_bytes());
        bytes.extend_from_slice(&self.extra.to_be_bytes());
        let check = checksum(&bytes);
        bytes.extend_from_slice(&check);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// `None` when the text is not an id this server issued: Graph's `ErrorInvalidIdMalformed`.
    pub fn decode(text: &str) -> Option<ItemId> {
        let body = text.strip_prefix(PREFIX)?;
        let bytes = URL_SAFE_NO_PAD.decode(body).ok()?;
        if bytes.len() != PAYLOAD + CHECK {
            return None;
        }
        let (payload, check) = bytes.split_at(PAYLOAD);
        if checksum(payload) != check {
            return None;
        }
        let mailbox = u16::from_be_bytes([payload[0], payload[1]]);
        let kind = Kind::from_tag(payload[2])?;
        let mut key = [0u8; 8];
        key.copy_from_slice(&payload[3..11]);
        let mut extra = [0u8; 4];
        extra.copy_from_slice(&payload[11..15]);
        Some(ItemId {
            mailbox: usize::from(mailbox),
            kind,
            key: u64::from_be_bytes(key),
            extra: u32::from_be_bytes(extra),
        })
    }
}

fn checksum(payload: &[u8]) -> [u8; CHECK] {
    let digest = Sha256::new()
        .chain_update(b"onbehalf-sandbox item id")
        .chain_update(payload)
        .finalize();
    [digest[0], digest[1], digest[2]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_tampering() {
        let id = ItemId {
            mailbox: 3,
            kind: Kind::Occurrence,
            key: 4711,
            extra: 20_000,
        };
        let text = id.encode();
        assert!(text.starts_with("AAMk"));
        assert_eq!(ItemId::decode(&text), Some(id));
        let mut tampered = text.clone();
        tampered.pop();
        tampered.push(if text.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(ItemId::decode(&tampered), None);
        assert_eq!(ItemId::decode("Calendar"), None);
    }
}
