//! Mail crossing a mailbox's edge: a sent message delivered to the Inbox of each recipient
//! inside the organisation and logged once for those outside, and an e-mail from outside
//! arriving in a user's Inbox. The public types here are what the control API and
//! [`crate::Faults`] take and give.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    content_type, in_mailbox, is_address, new_conversation_id, new_internet_message_id, person,
    Folder, Message,
};
use crate::state::{Person, State};

/// An e-mail address and its display name (Graph `emailAddress`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAddress {
    #[serde(default)]
    pub name: String,
    pub address: String,
}

impl From<&Person> for MailAddress {
    fn from(p: &Person) -> MailAddress {
        MailAddress {
            name: p.name.clone(),
            address: p.address.clone(),
        }
    }
}

/// A message body (Graph `itemBody`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailBody {
    /// `text` or `html`.
    #[serde(rename = "contentType", default = "text")]
    pub content_type: String,
    #[serde(default)]
    pub content: String,
}

fn text() -> String {
    "text".to_string()
}

impl Default for MailBody {
    fn default() -> MailBody {
        MailBody {
            content_type: text(),
            content: String::new(),
        }
    }
}

/// An e-mail from outside the organisation arriving in a user's Inbox; also the JSON body of
/// `POST /_sandbox/mail/deliver`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundMail {
    /// The address of the sandbox user whose Inbox it arrives in.
    pub to: String,
    pub from: MailAddress,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: MailBody,
    /// The `internetMessageId` it answers: when that message is in the recipient's mailbox,
    /// the reply joins its conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
}

/// A message as it left for addresses outside the organisation; also an entry of
/// `GET /_sandbox/mail/outbound`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboundMail {
    pub internet_message_id: String,
    pub conversation_id: String,
    #[serde(rename = "sentDateTime")]
    pub sent: DateTime<Utc>,
    pub from: MailAddress,
    /// Who actually sent it: the delegate when sent on behalf of `from`.
    pub sender: MailAddress,
    pub to: Vec<MailAddress>,
    pub cc: Vec<MailAddress>,
    pub bcc: Vec<MailAddress>,
    /// The recipients outside the organisation it went to (lowercase addresses).
    pub outside: Vec<String>,
    pub subject: String,
    pub body: MailBody,
}

/// Why a message from outside could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("{0} is not a mailbox of the sandbox's organisation")]
    UnknownMailbox(String),
    #[error("'{0}' is not an e-mail address")]
    Address(String),
    #[error("'{0}' is not a body content type (text or html)")]
    ContentType(String),
}

/// Deliver a message that was just sent: a copy in the Inbox of each recipient inside the
/// organisation (unread, received `now`; Bcc is not shown to recipients), and one entry in the
/// outbound log naming the recipients outside it, if there are any.
pub(crate) fn deliver(world: &mut State, sent: &Message, now: DateTime<Utc>) {
    let mut outside = Vec::new();
    let mut inside = Vec::new();
    for p in sent.recipients() {
        match world.user_by_address(&p.address) {
            Some(user) => inside.push(user),
            None => outside.push(p.address.trim().to_lowercase()),
        }
    }
    for user in inside {
        let key = world.take_key();
        let copy = Message {
            key,
            mailbox: user,
            folder: Folder::Inbox,
            created: now,
            modified: now,
            received: now,
            sent: sent.sent.or(Some(now)),
            version: 1,
            bcc: Vec::new(),
            is_draft: false,
            is_read: false,
            categories: Vec::new(),
            ..sent.clone()
        };
        world.mail.messages.insert(key, copy);
    }
    if outside.is_empty() {
        return;
    }
    let addresses = |list: &[Person]| list.iter().map(MailAddress::from).collect();
    let owner = world.person(sent.mailbox);
    world.mail.outbound.push(OutboundMail {
        internet_message_id: sent.internet_message_id.clone(),
        conversation_id: sent.conversation_id.clone(),
        sent: sent.sent.unwrap_or(now),
        from: MailAddress::from(sent.from.as_ref().unwrap_or(&owner)),
        sender: MailAddress::from(sent.sender.as_ref().unwrap_or(&owner)),
        to: addresses(&sent.to),
        cc: addresses(&sent.cc),
        bcc: addresses(&sent.bcc),
        outside,
        subject: sent.subject.clone(),
        body: MailBody {
            content_type: sent.body_type.clone(),
            content: sent.body.clone(),
        },
    });
}

/// An e-mail from outside arrives in a user's Inbox at `now`; the key of the new message.
pub(crate) fn receive(
    world: &mut State,
    mail: &InboundMail,
    now: DateTime<Utc>,
) -> Result<u64, MailError> {
    let user = world
        .user_by_address(&mail.to)
        .ok_or_else(|| MailError::UnknownMailbox(mail.to.trim().to_string()))?;
    if !is_address(&mail.from.address) {
        return Err(MailError::Address(mail.from.address.clone()));
    }
    let body_type = content_type(&mail.body.content_type)
        .ok_or_else(|| MailError::ContentType(mail.body.content_type.clone()))?;
    let answered = mail.in_reply_to.as_deref().and_then(|id| {
        in_mailbox(world, user, None)
            .find(|m| m.internet_message_id.eq_ignore_ascii_case(id.trim()))
            .map(|m| m.conversation_id.clone())
    });
    let key = world.take_key();
    let from = person(world, &mail.from.address, Some(&mail.from.name));
    let message = Message {
        key,
        mailbox: user,
        folder: Folder::Inbox,
        created: now,
        modified: now,
        received: now,
        sent: Some(now),
        version: 1,
        subject: mail.subject.clone(),
        body_type: body_type.to_string(),
        body: mail.body.content.clone(),
        sender: Some(from.clone()),
        to: vec![world.person(user)],
        cc: Vec::new(),
        bcc: Vec::new(),
        reply_to: Vec::new(),
        is_draft: false,
        is_read: false,
        importance: "normal".to_string(),
        categories: Vec::new(),
        conversation_id: answered.unwrap_or_else(|| new_conversation_id(key)),
        internet_message_id: new_internet_message_id(key, &from.address),
        from: Some(from),
    };
    world.mail.messages.insert(key, message);
    Ok(key)
}
