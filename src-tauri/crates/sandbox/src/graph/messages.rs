//! Reading mail: a message as Graph shows it (message resource), one message, the messages of
//! a mailbox or of one of its folders (list-messages, mailfolder-list-messages), and a mail
//! folder. Bodies come as HTML unless `Prefer: outlook.body-content-type="text"` asks for text
//! (message-get). Writes are in `message_writes`, sending in `message_send`.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::body;
use super::error::GraphError;
use super::filter::{self, Expr, Subject};
use super::odata::{self, Query};
use super::project;
use super::{Ctx, GraphResult, Reply};
use crate::ids::{ItemId, Kind};
use crate::mailbox::{self, Folder, Message};
use crate::state::{Person, State};
use crate::tz;

/// "The default page size is 10 messages" (user-list-messages).
const PAGE: usize = 10;

/// The id of a folder of `mailbox`.
pub(crate) fn folder_id(mailbox: usize, folder: Folder) -> String {
    ItemId::new(mailbox, Kind::MailFolder, folder.tag()).encode()
}

/// The id of a message, bound to its mailbox.
pub(crate) fn message_id(m: &Message) -> String {
    ItemId::new(m.mailbox, Kind::Message, m.key).encode()
}

pub(crate) fn change_key(m: &Message) -> String {
    project::change_key("message", m.key, None, m.version)
}

/// The Graph `id` of a mailbox's user, for `@odata.context`.
pub(crate) fn user_id(world: &State, mailbox: usize) -> String {
    world
        .users
        .get(mailbox)
        .map(|u| u.id.clone())
        .unwrap_or_default()
}

fn recipient(p: &Person) -> Value {
    json!({ "emailAddress": { "name": p.name, "address": p.address } })
}

fn recipients(list: &[Person]) -> Value {
    Value::Array(list.iter().map(recipient).collect())
}

fn body_preview(m: &Message) -> String {
    match m.body_type.as_str() {
        "html" => project::preview(&m.body),
        _ => {
            let collapsed = m.body.split_whitespace().collect::<Vec<_>>().join(" ");
            collapsed.chars().take(255).collect()
        }
    }
}

/// The message resource, its body as stored.
pub(crate) fn message_json(graph_url: &str, m: &Message) -> Value {
    let id = message_id(m);
    let ck = change_key(m);
    let web_link = format!(
        "{}/owa/?ItemID={}&exvsurl=1&viewmodel=ReadMessageItem",
        graph_url.trim_end_matches("/v1.0"),
        percent_encoding::utf8_percent_encode(&id, percent_encoding::NON_ALPHANUMERIC)
    );
    json!({
        "@odata.etag": format!("W/\"{ck}\""),
        "id": id,
        "createdDateTime": tz::format_utc(m.created),
        "lastModifiedDateTime": tz::format_utc(m.modified),
        "changeKey": ck,
        "categories": m.categories,
        "receivedDateTime": tz::format_utc(m.received),
        // A draft's sentDateTime is its last save, as in the create-message example.
        "sentDateTime": tz::format_utc(m.sent.unwrap_or(m.received)),
        "hasAttachments": false,
        "internetMessageId": m.internet_message_id,
        "subject": m.subject,
        "bodyPreview": body_preview(m),
        "importance": m.importance,
        "parentFolderId": folder_id(m.mailbox, m.folder),
        "conversationId": m.conversation_id,
        "isDeliveryReceiptRequested": false,
        "isReadReceiptRequested": false,
        "isRead": m.is_read,
        "isDraft": m.is_draft,
        "webLink": web_link,
        "inferenceClassification": "focused",
        "body": { "contentType": m.body_type, "content": m.body },
        "sender": m.sender.as_ref().map_or(Value::Null, recipient),
        "from": m.from.as_ref().map_or(Value::Null, recipient),
        "toRecipients": recipients(&m.to),
        "ccRecipients": recipients(&m.cc),
        "bccRecipients": recipients(&m.bcc),
        "replyTo": recipients(&m.reply_to),
        "flag": { "flagStatus": "notFlagged" }
    })
}

/// One message as the caller asked for it (body format, `$select`), with its context.
pub(crate) fn single(world: &State, ctx: &Ctx, m: &Message, q: Option<&Query>) -> Value {
    let mut v = message_json(&ctx.graph_url, m);
    body::present(&mut v, ctx.prefs.body);
    if let Some(q) = q {
        odata::select(&mut v, &q.select);
    }
    v["@odata.context"] = json!(format!(
        "{}/$metadata#users('{}')/messages/$entity",
        ctx.graph_url,
        user_id(world, m.mailbox)
    ));
    v
}

/// `GET .../messages/{id}`
pub(crate) fn get(world: &State, ctx: &Ctx, key: u64, q: &Query) -> GraphResult {
    refuse_expand(q)?;
    let m = world
        .mail
        .messages
        .get(&key)
        .ok_or_else(GraphError::not_found)?;
    Ok(Reply::ok(single(world, ctx, m, Some(q))))
}

/// Assumption: extended properties of messages are not emulated, so asking to expand them is
/// refused rather than answered without them.
fn refuse_expand(q: &Query) -> Result<(), GraphError> {
    match q.expand_extended {
        Some(_) => Err(GraphError::bad_request(
            "Expanding 'singleValueExtendedProperties' of messages is not supported by the sandbox.",
        )),
        None => Ok(()),
    }
}

fn property_order(expr: &Expr, out: &mut Vec<String>) {
    let mut note = |path: &[String]| {
        if let Some(first) = path.first() {
            if !out.iter().any(|p| p.eq_ignore_ascii_case(first)) {
                out.push(first.clone());
            }
        }
    };
    match expr {
        Expr::And(a, b) | Expr::Or(a, b) => {
            property_order(a, out);
            property_order(b, out);
        }
        Expr::Not(a) => property_order(a, out),
        Expr::Compare(a, _, b) | Expr::Call(_, a, b) => {
            for operand in [a, b] {
                if let filter::Operand::Path(p) = operand {
                    note(p);
                }
            }
        }
        Expr::Truthy(filter::Operand::Path(p)) => note(p),
        Expr::Truthy(filter::Operand::Literal(_)) => {}
        Expr::Lambda { collection, .. } => note(collection),
    }
}

/// "When using `$filter` and `$orderby` in the same query to get messages", the properties of
/// `$orderby` must come first in `$filter`, in the same order; otherwise `InefficientFilter`
/// (user-list-messages). Assumption: that answer is a 400.
fn check_filter_and_order(q: &Query) -> Result<(), GraphError> {
    let (Some(f), false) = (&q.filter, q.orderby.is_empty()) else {
        return Ok(());
    };
    let mut filtered = Vec::new();
    property_order(f, &mut filtered);
    let ordered: Vec<&str> = q
        .orderby
        .iter()
        .filter_map(|(path, _)| path.first().map(String::as_str))
        .collect();
    let leads = ordered.len() <= filtered.len()
        && ordered
            .iter()
            .zip(&filtered)
            .all(|(o, f)| o.eq_ignore_ascii_case(f));
    if leads {
        Ok(())
    } else {
        Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "InefficientFilter",
            "The restriction or sort order is too complex for this operation.",
        ))
    }
}

/// `GET .../messages` (every folder) or `GET .../mailFolders/{id}/messages`.
///
/// Assumption: without `$orderby`, the newest message comes first, as Outlook lists mail.
pub(crate) fn list(
    world: &State,
    ctx: &Ctx,
    mailbox: usize,
    folder: Option<Folder>,
    q: &Query,
) -> GraphResult {
    refuse_expand(q)?;
    check_filter_and_order(q)?;
    let mut rows: Vec<(Value, &Message)> = Vec::new();
    for m in mailbox::in_mailbox(world, mailbox, folder) {
        let json = message_json(&ctx.graph_url, m);
        if let Some(f) = &q.filter {
            let subject = Subject {
                item: &json,
                extended: &[],
                is_extended_property: false,
            };
            if !filter::matches(f, &subject) {
                continue;
            }
        }
        rows.push((json, m));
    }
    rows.sort_by_key(|(_, m)| std::cmp::Reverse((m.received, m.key)));
    odata::order(&mut rows, &q.orderby);
    let count = rows.len();
    let page = odata::page(rows, q, PAGE, ctx.prefs.max_page_size);
    let value: Vec<Value> = page
        .items
        .into_iter()
        .map(|(mut v, _)| {
            body::present(&mut v, ctx.prefs.body);
            odata::select(&mut v, &q.select);
            v
        })
        .collect();
    let collection = match folder {
        Some(f) => format!("mailFolders('{}')/messages", folder_id(mailbox, f)),
        None => "messages".to_string(),
    };
    let mut body = json!({
        "@odata.context": format!(
            "{}/$metadata#users('{}')/{collection}",
            ctx.graph_url,
            user_id(world, mailbox)
        ),
        "value": value,
    });
    if q.count {
        body["@odata.count"] = json!(count);
    }
    if let Some(skip) = page.next {
        body["@odata.nextLink"] = json!(odata::next_link(&ctx.graph_url, &ctx.path, q, skip));
    }
    let mut reply = Reply::ok(body);
    reply.applied.extend(page.applied);
    Ok(reply)
}

/// `GET .../mailFolders/{id}` (mailfolder resource), for the folders the sandbox keeps.
pub(crate) fn folder(
    world: &State,
    ctx: &Ctx,
    mailbox: usize,
    folder: Folder,
    q: &Query,
) -> GraphResult {
    let (total, unread) = mailbox::in_mailbox(world, mailbox, Some(folder))
        .fold((0usize, 0usize), |(t, u), m| {
            (t + 1, u + usize::from(!m.is_read))
        });
    let mut v = json!({
        "@odata.context": format!(
            "{}/$metadata#users('{}')/mailFolders/$entity",
            ctx.graph_url,
            user_id(world, mailbox)
        ),
        "id": folder_id(mailbox, folder),
        "displayName": folder.display_name(),
        "parentFolderId": ItemId::new(mailbox, Kind::MailFolder, 0).encode(),
        "childFolderCount": 0,
        "unreadItemCount": unread,
        "totalItemCount": total,
        "isHidden": false
    });
    odata::select(&mut v, &q.select);
    Ok(Reply::ok(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Query {
        odata::parse(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn orderby_properties_must_lead_the_filter() {
        let ok = query(&[
            (
                "$filter",
                "receivedDateTime ge 2030-01-01T00:00:00Z and isRead eq false",
            ),
            ("$orderby", "receivedDateTime desc"),
        ]);
        assert!(check_filter_and_order(&ok).is_ok());
        let bad = query(&[
            (
                "$filter",
                "isRead eq false and receivedDateTime ge 2030-01-01T00:00:00Z",
            ),
            ("$orderby", "receivedDateTime desc"),
        ]);
        assert_eq!(
            check_filter_and_order(&bad).unwrap_err().code,
            "InefficientFilter"
        );
        assert!(check_filter_and_order(&query(&[("$orderby", "subject")])).is_ok());
    }
}
