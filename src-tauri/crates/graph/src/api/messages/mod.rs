//! Mail for time slots: a draft in the user's own mailbox, from the executive when sending on
//! their behalf; sending it, or a message at once; and the replies that reach the user's inbox.
//!
//! As Graph documents it (user-post-messages, message-send, user-sendmail,
//! outlook-send-mail-from-other-user, mailfolder-list-messages): a draft is `POST /me/messages`
//! (201 and the message), sent with `POST /me/messages/{id}/send` (202, no body); `POST
//! /me/sendMail` sends at once (202). Setting only `from` sends from another mailbox: Graph
//! sets `sender` itself, and refuses with 403 `ErrorSendAsDenied` when the user has neither
//! Send As nor Send on Behalf on it ([`GraphError::is_send_as_denied`]). Going through `/me`,
//! the sent copy stays in the user's own Sent Items, which needs no Full Access to the
//! executive's mailbox.

mod html;
mod wire;

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::Method;

use crate::client::{to_body, GraphPath, Pager};
use crate::models::MailAddress;
use crate::{GraphClient, GraphError};

use wire::{Created, Received, SendMail, WireMessage};

/// Messages per page of an inbox read (`$top` may be 1..1000; smaller pages keep Graph well
/// away from its gateway timeout with bodies included).
const INBOX_PAGE: u32 = 50;

/// What an inbox read selects: what [`ReceivedMessage`] is made of.
const INBOX_SELECT: &str =
    "id,subject,from,receivedDateTime,body,bodyPreview,conversationId,internetMessageId";

/// Bodies as text, and immutable ids as every other call asks for (a `Prefer` of our own
/// replaces the client's default one).
const PREFER_TEXT: &str = "outlook.body-content-type=\"text\", IdType=\"ImmutableId\"";

/// A message to write: as a draft to send later, or sent at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub subject: String,
    pub body: MessageBody,
    pub to: Vec<MailAddress>,
    pub cc: Vec<MailAddress>,
    /// The mailbox the message is from, e.g. the executive's; `None` sends as the user. Graph
    /// needs the `Mail.Send.Shared` scope and the user's Send on Behalf (or Send As) right on
    /// that mailbox.
    pub from: Option<MailAddress>,
    /// Where replies go; empty leaves it to the recipient's mail program, which answers
    /// `from`. Replies to a message from the executive reach the user's own inbox only when
    /// the user is here.
    pub reply_to: Vec<MailAddress>,
}

/// The body of an [`OutgoingMessage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageBody {
    Text(String),
    Html(String),
}

/// A draft Graph made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRef {
    /// The draft's (immutable) id, to send it with.
    pub id: String,
    /// Where Outlook on the web opens it.
    pub web_link: Option<String>,
    /// The conversation its replies are filed under in the user's mailbox.
    pub conversation_id: Option<String>,
    /// Its RFC 2822 `Message-ID`.
    pub internet_message_id: Option<String>,
}

/// A message in the user's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    /// The (immutable) id; empty when Graph did not give one.
    pub id: String,
    pub subject: String,
    /// `None` when Graph did not say who it is from.
    pub from: Option<MailAddress>,
    pub received: DateTime<Utc>,
    /// The body as plain text (turned into text here if Graph gave HTML); the preview when
    /// Graph gave no body.
    pub body_text: String,
    /// Graph's first 255 characters of the body, as text.
    pub body_preview: String,
    pub conversation_id: Option<String>,
    pub internet_message_id: Option<String>,
}

fn my_messages() -> GraphPath {
    GraphPath::new().lit("me").lit("messages")
}

impl GraphClient {
    /// `POST /me/messages`: a draft in the user's own Drafts folder. With `from` set to the
    /// executive, sending it sends on their behalf.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_draft(&self, message: &OutgoingMessage) -> Result<MessageRef, GraphError> {
        const OPERATION: &str = "create a draft";
        let req = self
            .request(OPERATION, Method::POST, &my_messages(), &[])
            .with_body(to_body(OPERATION, &WireMessage::from(message))?);
        let created: Created = self.send_json(&req).await?;
        created.into_ref(OPERATION)
    }

    /// `POST /me/messages/{id}/send`: send a draft; Graph answers 202 and moves it to Sent
    /// Items. Never repeated after a failure that may have reached Graph, so a message is
    /// not sent twice.
    #[tracing::instrument(skip_all, err)]
    pub async fn send_draft(&self, id: &str) -> Result<(), GraphError> {
        let path = my_messages().id(id).lit("send");
        let req = self.request("send a draft", Method::POST, &path, &[]);
        self.send_empty(&req).await
    }

    /// `POST /me/sendMail`: send at once (202). With `save_to_sent_items` false, no copy is
    /// kept in the user's Sent Items (an admin may still keep one in the executive's).
    #[tracing::instrument(skip_all, err)]
    pub async fn send_mail(
        &self,
        message: &OutgoingMessage,
        save_to_sent_items: bool,
    ) -> Result<(), GraphError> {
        const OPERATION: &str = "send a message";
        let body = SendMail {
            message: WireMessage::from(message),
            // Documented as "specify it only if the parameter is false".
            save_to_sent_items: (!save_to_sent_items).then_some(false),
        };
        let path = GraphPath::new().lit("me").lit("sendMail");
        let req = self
            .request(OPERATION, Method::POST, &path, &[])
            .with_body(to_body(OPERATION, &body)?);
        self.send_empty(&req).await
    }

    /// `GET /me/mailFolders/inbox/messages`: every message received at or after `since`,
    /// oldest first, bodies as text, following every `@odata.nextLink`. A message received
    /// exactly at `since` comes again in a read from that time; callers keep the ids they
    /// have seen.
    #[tracing::instrument(skip_all, err)]
    pub async fn inbox_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<ReceivedMessage>, GraphError> {
        let path = GraphPath::new()
            .lit("me")
            .lit("mailFolders")
            .lit("inbox")
            .lit("messages");
        let from = since.to_rfc3339_opts(SecondsFormat::Secs, true);
        // The property ordered by comes first in the filter, as Graph requires of messages.
        let query = [
            ("$filter", format!("receivedDateTime ge {from}")),
            ("$orderby", "receivedDateTime asc".to_string()),
            ("$select", INBOX_SELECT.to_string()),
            ("$top", INBOX_PAGE.to_string()),
        ];
        let req = self
            .request("read your inbox", Method::GET, &path, &query)
            .with_header("Prefer", PREFER_TEXT);
        let messages: Vec<Received> = Pager::new(self.clone(), req).all().await?;
        Ok(messages.into_iter().map(ReceivedMessage::from).collect())
    }
}
