//! Messages as Graph writes and reads them (message resource, recipient, itemBody).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::html::html_to_text;
use super::{MessageBody, MessageRef, OutgoingMessage, ReceivedMessage};
use crate::models::{ItemBody, MailAddress, Recipient};
use crate::GraphError;

/// `recipient`: `{"emailAddress": {"name", "address"}}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRecipient<'a> {
    email_address: &'a MailAddress,
}

fn recipients(list: &[MailAddress]) -> Vec<WireRecipient<'_>> {
    list.iter()
        .map(|a| WireRecipient { email_address: a })
        .collect()
}

/// `itemBody` in a request; `contentType` written as the documented request examples write it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireBody<'a> {
    content_type: &'static str,
    content: &'a str,
}

/// The `message` of a draft or of `sendMail`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireMessage<'a> {
    subject: &'a str,
    body: WireBody<'a>,
    to_recipients: Vec<WireRecipient<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cc_recipients: Vec<WireRecipient<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<WireRecipient<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reply_to: Vec<WireRecipient<'a>>,
}

impl<'a> From<&'a OutgoingMessage> for WireMessage<'a> {
    fn from(m: &'a OutgoingMessage) -> Self {
        let body = match &m.body {
            MessageBody::Text(t) => WireBody {
                content_type: "Text",
                content: t,
            },
            MessageBody::Html(h) => WireBody {
                content_type: "HTML",
                content: h,
            },
        };
        WireMessage {
            subject: &m.subject,
            body,
            to_recipients: recipients(&m.to),
            cc_recipients: recipients(&m.cc),
            from: m.from.as_ref().map(|a| WireRecipient { email_address: a }),
            reply_to: recipients(&m.reply_to),
        }
    }
}

/// The body of `POST /me/sendMail`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SendMail<'a> {
    pub message: WireMessage<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub save_to_sent_items: Option<bool>,
}

/// The message Graph answers a draft's creation with: what a [`MessageRef`] needs.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Created {
    id: String,
    #[serde(default)]
    web_link: Option<String>,
    #[serde(default)]
    conversation_id: Option<String>,
    #[serde(default)]
    internet_message_id: Option<String>,
}

impl Created {
    /// A draft without an id could never be sent: that answer is not one Graph gives.
    pub fn into_ref(self, operation: &'static str) -> Result<MessageRef, GraphError> {
        if self.id.trim().is_empty() {
            return Err(GraphError::Decode {
                operation,
                detail: "the new draft has no id".to_string(),
            });
        }
        Ok(MessageRef {
            id: self.id,
            web_link: filled(self.web_link),
            conversation_id: filled(self.conversation_id),
            internet_message_id: filled(self.internet_message_id),
        })
    }
}

/// A message of an inbox page. Only `receivedDateTime` is required: the read filters and
/// orders by it, so a message without it is not an answer to the read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Received {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    from: Option<Recipient>,
    received_date_time: DateTime<Utc>,
    #[serde(default)]
    body: Option<ItemBody>,
    #[serde(default)]
    body_preview: Option<String>,
    #[serde(default)]
    conversation_id: Option<String>,
    #[serde(default)]
    internet_message_id: Option<String>,
}

impl From<Received> for ReceivedMessage {
    fn from(m: Received) -> Self {
        let body_preview = m.body_preview.unwrap_or_default();
        let body_text = match m.body {
            Some(b) if b.content_type.eq_ignore_ascii_case("html") => html_to_text(&b.content),
            Some(b) => b.content,
            None => body_preview.clone(),
        };
        let from = m.from.and_then(|r| r.email_address).and_then(|e| {
            let name = filled(e.name);
            filled(e.address).map(|address| MailAddress { name, address })
        });
        ReceivedMessage {
            id: m.id.unwrap_or_default(),
            subject: m.subject.unwrap_or_default(),
            from,
            received: m.received_date_time,
            body_text,
            body_preview,
            conversation_id: filled(m.conversation_id),
            internet_message_id: filled(m.internet_message_id),
        }
    }
}

fn filled(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}
