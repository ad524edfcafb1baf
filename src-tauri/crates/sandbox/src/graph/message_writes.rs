//! Writing mail: create a draft (user-post-messages), update a message (message-update, with
//! `If-Match`) and delete one (message-delete). Sending is in `message_send`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::conditional;
use super::error::GraphError;
use super::message_input::{self, MessagePatch};
use super::messages::{change_key, message_id, single, user_id};
use super::{Ctx, GraphResult, Reply};
use crate::mailbox::{self, Folder, Message};
use crate::state::State;

/// A new message of `mailbox` in `folder`, unsent, from the properties of a request.
///
/// "When a message is being composed, in most cases, the From and Sender properties represent
/// the same signed-in user, unless either is updated" (message resource): either one left out
/// is the mailbox's owner, so a draft whose `from` is the executive has her delegate as
/// `sender` until it is sent, when Graph "sets it appropriately" (send-mail-from-other-user).
pub(crate) fn compose(
    world: &mut State,
    mailbox: usize,
    folder: Folder,
    patch: MessagePatch,
    now: DateTime<Utc>,
) -> Message {
    let key = world.take_key();
    let owner = world.person(mailbox);
    let from = patch.from.clone().unwrap_or_else(|| owner.clone());
    let mut m = Message {
        key,
        mailbox,
        folder,
        created: now,
        modified: now,
        received: now,
        sent: None,
        version: 1,
        subject: String::new(),
        body_type: "text".to_string(),
        body: String::new(),
        sender: Some(owner),
        to: Vec::new(),
        cc: Vec::new(),
        bcc: Vec::new(),
        reply_to: Vec::new(),
        is_draft: true,
        // A draft is read (the create-message example).
        is_read: true,
        importance: "normal".to_string(),
        categories: Vec::new(),
        conversation_id: mailbox::new_conversation_id(key),
        internet_message_id: mailbox::new_internet_message_id(key, &from.address),
        from: Some(from),
    };
    apply(&mut m, patch);
    m
}

fn apply(m: &mut Message, p: MessagePatch) {
    if let Some(v) = p.subject {
        m.subject = v;
    }
    if let Some((kind, content)) = p.body {
        m.body_type = kind;
        m.body = content;
    }
    if let Some(v) = p.from {
        m.from = Some(v);
    }
    if let Some(v) = p.sender {
        m.sender = Some(v);
    }
    if let Some(v) = p.to {
        m.to = v;
    }
    if let Some(v) = p.cc {
        m.cc = v;
    }
    if let Some(v) = p.bcc {
        m.bcc = v;
    }
    if let Some(v) = p.reply_to {
        m.reply_to = v;
    }
    if let Some(v) = p.importance {
        m.importance = v;
    }
    if let Some(v) = p.categories {
        m.categories = v;
    }
    if let Some(v) = p.is_read {
        m.is_read = v;
    }
    if let Some(v) = p.internet_message_id {
        m.internet_message_id = v;
    }
}

fn location(world: &State, ctx: &Ctx, m: &Message) -> String {
    format!(
        "{}/users('{}')/messages('{}')",
        ctx.graph_url,
        user_id(world, m.mailbox),
        message_id(m)
    )
}

/// `POST .../messages` (a draft in Drafts) or `POST .../mailFolders/{id}/messages` (a draft
/// in that folder): 201 with the message.
pub(crate) fn create(
    world: &mut State,
    ctx: &Ctx,
    mailbox: usize,
    folder: Folder,
    body: Option<&Value>,
) -> GraphResult {
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let patch = message_input::parse(world, body)?;
    let m = compose(world, mailbox, folder, patch, ctx.now);
    let json = single(world, ctx, &m, None);
    let location = location(world, ctx, &m);
    world.mail.messages.insert(m.key, m);
    Ok(Reply::created(json, location))
}

fn found(world: &State, key: u64) -> Result<&Message, GraphError> {
    world
        .mail
        .messages
        .get(&key)
        .ok_or_else(GraphError::not_found)
}

/// `PATCH .../messages/{id}`: any message's recipients, categories, importance and read state;
/// a draft's subject, body, `replyTo`, `from` and `sender` too (a sent message's are 400
/// `ErrorInvalidPropertySet`). With `If-Match`, only while the message is at that version.
pub(crate) fn update(world: &mut State, ctx: &Ctx, key: u64, body: Option<&Value>) -> GraphResult {
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let patch = message_input::parse(world, body)?;
    {
        let m = found(world, key)?;
        conditional::check(ctx.if_match.as_deref(), &change_key(m))?;
        if !m.is_draft && patch.sets_draft_only() {
            return Err(GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "ErrorInvalidPropertySet",
                "Message is not draft.",
            ));
        }
    }
    let m = world
        .mail
        .messages
        .get_mut(&key)
        .ok_or_else(GraphError::not_found)?;
    apply(m, patch);
    m.version += 1;
    m.modified = ctx.now;
    if m.is_draft {
        m.received = ctx.now;
    }
    let m = found(world, key)?;
    Ok(Reply::ok(single(world, ctx, m, None)))
}

/// `DELETE .../messages/{id}`: 204. With `If-Match`, only while the message is at that
/// version.
///
/// Assumption: the message is gone from the mailbox; Exchange moves it to Deleted Items,
/// which the sandbox does not keep (the page says only "Delete a message").
pub(crate) fn delete(world: &mut State, ctx: &Ctx, key: u64) -> GraphResult {
    let m = found(world, key)?;
    conditional::check(ctx.if_match.as_deref(), &change_key(m))?;
    world.mail.messages.remove(&key);
    Ok(Reply::no_content())
}
