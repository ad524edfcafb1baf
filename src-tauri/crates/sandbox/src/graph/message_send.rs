//! Sending mail: an existing draft (message-send) or a new message in one call (user-sendmail),
//! each answered 202 without a body. The message is saved in the sender's Sent Items (for
//! sendMail unless `saveToSentItems` is false) and delivered (see `mailbox::deliver`).
//!
//! A message whose `from` is another mailbox goes out only with the `Mail.Send.Shared`
//! permission and, on that mailbox, Send on Behalf or Send As (send-mail-from-other-user); then
//! `from` stays the other mailbox and `sender` is the signed-in user. Otherwise it is 403
//! `ErrorSendAsDenied` and nothing changes: a draft stays in Drafts. The organisation has no
//! Send As grants, so `sender` always ends up the signed-in user.

use axum::http::StatusCode;
use serde_json::Value;

use super::error::GraphError;
use super::message_input;
use super::message_writes::compose;
use super::{Ctx, GraphResult, Reply};
use crate::mailbox::{self, Folder, Message};
use crate::state::{Person, State};

fn accepted() -> Reply {
    Reply {
        status: StatusCode::ACCEPTED,
        body: None,
        ..Reply::no_content()
    }
}

/// 403 as in the documented example of an unsuccessful send.
fn send_as_denied() -> GraphError {
    GraphError::new(
        StatusCode::FORBIDDEN,
        "ErrorSendAsDenied",
        "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account. Cannot submit message.",
    )
}

/// 400 `ErrorInvalidRecipients`, with the messages Exchange gives (reported in
/// microsoftgraph/msgraph-sdk-dotnet#1891 and microsoftgraph/ruby-connect-rest-sample#15).
fn invalid_recipients(detail: &str) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "ErrorInvalidRecipients",
        format!("At least one recipient isn't valid., {detail}"),
    )
}

fn check_recipients(m: &Message) -> Result<(), GraphError> {
    let all = m.recipients();
    if all.is_empty() {
        return Err(invalid_recipients(
            "A message can't be sent because it contains no recipients.",
        ));
    }
    match all.iter().find(|p| !mailbox::is_address(&p.address)) {
        Some(p) => Err(invalid_recipients(&format!(
            "Recipient '{}' isn't resolved. All recipients must be resolved before a message can be submitted.",
            p.address
        ))),
        None => Ok(()),
    }
}

/// The `from` and `sender` the message goes out with, or why it may not go out.
fn identity(world: &State, ctx: &Ctx, m: &Message) -> Result<(Person, Person), GraphError> {
    let owner = world.person(m.mailbox);
    let from = m.from.clone().unwrap_or_else(|| owner.clone());
    if from.address.trim().eq_ignore_ascii_case(&owner.address) {
        return Ok((owner.clone(), owner));
    }
    // "In order to send messages from another user, applications that use user tokens use
    // the Mail.Send.Shared permission." Assumption: without it the call is refused like any
    // call whose token lacks a permission.
    if !ctx.scopes.has("Mail.Send.Shared") {
        return Err(GraphError::access_denied());
    }
    match world.user_by_address(&from.address) {
        Some(user) if world.may_send_on_behalf(user, &owner.address) => {
            Ok((world.person(user), owner))
        }
        _ => Err(send_as_denied()),
    }
}

/// Mark `m` sent at `ctx.now` from `from` by `sender`.
fn stamp(m: &mut Message, ctx: &Ctx, from: Person, sender: Person) {
    m.folder = Folder::SentItems;
    m.is_draft = false;
    m.is_read = true;
    m.sent = Some(ctx.now);
    m.received = ctx.now;
    m.modified = ctx.now;
    m.version += 1;
    m.from = Some(from);
    m.sender = Some(sender);
}

/// `POST .../messages/{id}/send`: the draft moves to Sent Items and is delivered.
///
/// Assumption: sending a message that is not a draft is 404 `ErrorItemNotFound`, as reported
/// for a received message's id (rlrghb/olkcli#118); the page does not say.
pub(crate) fn send_draft(world: &mut State, ctx: &Ctx, key: u64) -> GraphResult {
    let draft = world
        .mail
        .messages
        .get(&key)
        .filter(|m| m.is_draft)
        .ok_or_else(GraphError::not_found)?;
    check_recipients(draft)?;
    let (from, sender) = identity(world, ctx, draft)?;
    let m = world
        .mail
        .messages
        .get_mut(&key)
        .ok_or_else(GraphError::not_found)?;
    stamp(m, ctx, from, sender);
    let sent = m.clone();
    mailbox::deliver(world, &sent, ctx.now);
    Ok(accepted())
}

/// `saveToSentItems`: a Boolean, which the page's own example sends as the string "false".
fn save_to_sent_items(body: &Value) -> Result<bool, GraphError> {
    match body.get("saveToSentItems") {
        None | Some(Value::Null) => Ok(true),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(GraphError::bad_request(
            "Invalid value for parameter 'saveToSentItems'.",
        )),
    }
}

/// `POST .../sendMail` with `{"message": {...}, "saveToSentItems": bool}`: the message is
/// sent at once, saved in Sent Items unless asked not to.
///
/// Assumption: `message` is required, as the parameter table says, although one example of
/// the page sends the message's properties at the top level.
pub(crate) fn send_mail(
    world: &mut State,
    ctx: &Ctx,
    mailbox: usize,
    body: Option<&Value>,
) -> GraphResult {
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let message = body
        .get("message")
        .filter(|m| m.is_object())
        .ok_or_else(|| GraphError::bad_request("The parameter 'message' is required."))?;
    let save = save_to_sent_items(body)?;
    let patch = message_input::parse(world, message)?;
    let mut m = compose(world, mailbox, Folder::SentItems, patch, ctx.now);
    check_recipients(&m)?;
    let (from, sender) = identity(world, ctx, &m)?;
    stamp(&mut m, ctx, from, sender);
    mailbox::deliver(world, &m, ctx.now);
    if save {
        world.mail.messages.insert(m.key, m);
    }
    Ok(accepted())
}
