//! Routing of mail requests below a mailbox: `messages`, `mailFolders/{id}` and
//! `mailFolders/{id}/messages`, `messages/{id}/send` and `sendMail`, once the token's scopes
//! were checked. Folders are named by well-known name (`inbox`, `drafts`, `sentitems`) or id;
//! message and folder ids are bound to their mailbox, so one read in another mailbox is "not
//! found".
//!
//! Another user's mailbox is reached only with the Full Access mailbox permission
//! (send-mail-from-other-user), which the demo organisation grants nobody: such a request is
//! 403 `ErrorAccessDenied`, as Exchange answers a delegate without it.

use axum::http::Method;
use serde_json::Value;

use super::error::GraphError;
use super::odata::Query;
use super::{message_send, message_writes, messages, Ctx, GraphResult};
use crate::ids::{ItemId, Kind};
use crate::mailbox::Folder;
use crate::state::State as World;

/// Graph's well-known folder names (mailfolder resource) the sandbox does not keep.
const NOT_KEPT: &[&str] = &[
    "archive",
    "clutter",
    "conflicts",
    "conversationhistory",
    "deleteditems",
    "junkemail",
    "localfailures",
    "msgfolderroot",
    "outbox",
    "recoverableitemsdeletions",
    "scheduled",
    "searchfolders",
    "serverfailures",
    "syncissues",
];

/// Whether a request below a mailbox is a mail request, by its first segment (lowercase).
pub(crate) fn is_mail(first: Option<&&str>) -> bool {
    matches!(first, Some(&("messages" | "mailfolders" | "sendmail")))
}

/// A folder of `mailbox` named by well-known name or id.
///
/// Assumption: the well-known folders the sandbox does not keep are "not found".
fn folder(mailbox: usize, text: &str) -> Result<Folder, GraphError> {
    if let Some(f) = Folder::by_name(text) {
        return Ok(f);
    }
    if NOT_KEPT.iter().any(|n| n.eq_ignore_ascii_case(text.trim())) {
        return Err(GraphError::not_found());
    }
    let id = ItemId::decode(text).ok_or_else(GraphError::malformed_id)?;
    match (id.mailbox == mailbox, id.kind) {
        (true, Kind::MailFolder) => Folder::from_tag(id.key).ok_or_else(GraphError::not_found),
        _ => Err(GraphError::not_found()),
    }
}

/// A message of `mailbox` (in `within`, when the path names a folder) by id.
fn message(
    world: &World,
    mailbox: usize,
    text: &str,
    within: Option<Folder>,
) -> Result<u64, GraphError> {
    let id = ItemId::decode(text).ok_or_else(GraphError::malformed_id)?;
    if id.mailbox != mailbox || id.kind != Kind::Message {
        return Err(GraphError::not_found());
    }
    world
        .mail
        .messages
        .get(&id.key)
        .filter(|m| m.mailbox == mailbox && within.is_none_or(|f| m.folder == f))
        .map(|m| m.key)
        .ok_or_else(GraphError::not_found)
}

/// Route a mail request below `/me` or `/users/{id}` (`tail` is the path below it).
pub(crate) fn dispatch(
    world: &mut World,
    ctx: &Ctx,
    mailbox: usize,
    tail: &[String],
    method: &Method,
    q: &Query,
    body: Option<&Value>,
) -> GraphResult {
    if mailbox != ctx.caller {
        return Err(GraphError::access_denied());
    }
    let names: Vec<String> = tail.iter().map(|s| s.to_ascii_lowercase()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match (names.as_slice(), method) {
        (["messages"], &Method::GET) => messages::list(world, ctx, mailbox, None, q),
        (["messages"], &Method::POST) => {
            message_writes::create(world, ctx, mailbox, Folder::Drafts, body)
        }
        (["messages", _, ..], _) => {
            let key = message(world, mailbox, &tail[1], None)?;
            item(world, ctx, key, &names[2..], method, q, body)
        }
        (["mailfolders", _], &Method::GET) => {
            let f = folder(mailbox, &tail[1])?;
            messages::folder(world, ctx, mailbox, f, q)
        }
        (["mailfolders", _, "messages"], &Method::GET) => {
            let f = folder(mailbox, &tail[1])?;
            messages::list(world, ctx, mailbox, Some(f), q)
        }
        (["mailfolders", _, "messages"], &Method::POST) => {
            let f = folder(mailbox, &tail[1])?;
            message_writes::create(world, ctx, mailbox, f, body)
        }
        (["mailfolders", _, "messages", _, ..], _) => {
            let f = folder(mailbox, &tail[1])?;
            let key = message(world, mailbox, &tail[3], Some(f))?;
            item(world, ctx, key, &names[4..], method, q, body)
        }
        (["sendmail"], &Method::POST) => message_send::send_mail(world, ctx, mailbox, body),
        (["messages"] | ["mailfolders", _] | ["mailfolders", _, "messages"] | ["sendmail"], _) => {
            Err(GraphError::method())
        }
        (_, _) => Err(GraphError::segment(
            tail.last().map(String::as_str).unwrap_or_default(),
        )),
    }
}

/// A request below one message: get, update, delete, or send it.
fn item(
    world: &mut World,
    ctx: &Ctx,
    key: u64,
    rest: &[&str],
    method: &Method,
    q: &Query,
    body: Option<&Value>,
) -> GraphResult {
    match (rest, method) {
        ([], &Method::GET) => messages::get(world, ctx, key, q),
        ([], &Method::PATCH) => message_writes::update(world, ctx, key, body),
        ([], &Method::DELETE) => message_writes::delete(world, ctx, key),
        (["send"], &Method::POST) => message_send::send_draft(world, ctx, key),
        ([] | ["send"], _) => Err(GraphError::method()),
        ([segment, ..], _) => Err(GraphError::segment(segment)),
    }
}
