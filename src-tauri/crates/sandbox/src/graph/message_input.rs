//! Reading message bodies of create and update requests (message resource, message-update).
//! Unknown and read-only properties are ignored, as Graph does; a known property with a wrong
//! type or value is a 400.

use serde_json::Value;

use super::error::GraphError;
use crate::mailbox::{self, content_type};
use crate::state::{Person, State};

/// The properties a request sets; `None` leaves a property as it is.
#[derive(Default)]
pub(crate) struct MessagePatch {
    pub subject: Option<String>,
    /// `(contentType, content)`.
    pub body: Option<(String, String)>,
    pub from: Option<Person>,
    pub sender: Option<Person>,
    pub to: Option<Vec<Person>>,
    pub cc: Option<Vec<Person>>,
    pub bcc: Option<Vec<Person>>,
    pub reply_to: Option<Vec<Person>>,
    pub importance: Option<String>,
    pub categories: Option<Vec<String>>,
    pub is_read: Option<bool>,
    pub internet_message_id: Option<String>,
}

impl MessagePatch {
    /// Whether it sets a property that only a draft may change: `body`, `subject`, `replyTo`
    /// and `internetMessageId` are "Updatable only if isDraft = true" (message-update); `from`
    /// and `sender` are refused on a sent message too (`ErrorInvalidPropertySet`, "Message is
    /// not draft.", microsoftgraph/microsoft-graph-docs#17008).
    pub fn sets_draft_only(&self) -> bool {
        self.subject.is_some()
            || self.body.is_some()
            || self.reply_to.is_some()
            || self.internet_message_id.is_some()
            || self.from.is_some()
            || self.sender.is_some()
    }
}

fn invalid(property: &str) -> GraphError {
    GraphError::bad_request(format!("Invalid value for property '{property}'."))
}

fn field<'v>(body: &'v Value, name: &str) -> Option<&'v Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn string(body: &Value, name: &str) -> Result<Option<String>, GraphError> {
    match field(body, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(name)),
    }
}

/// A `recipient`: `{"emailAddress": {"address", "name"?}}`.
///
/// Assumption: an address Exchange could never resolve is refused when the message is sent
/// (`ErrorInvalidRecipients`), not when the draft is saved, as Outlook keeps such drafts.
fn recipient(world: &State, v: &Value, name: &str) -> Result<Person, GraphError> {
    let email = v.get("emailAddress").ok_or_else(|| invalid(name))?;
    let address = email
        .get("address")
        .and_then(Value::as_str)
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| invalid(name))?;
    let display = match email.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(invalid(name)),
    };
    Ok(mailbox::person(world, address, display))
}

fn recipients(world: &State, body: &Value, name: &str) -> Result<Option<Vec<Person>>, GraphError> {
    match field(body, name) {
        None => Ok(None),
        Some(Value::Array(list)) => list
            .iter()
            .map(|r| recipient(world, r, name))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(invalid(name)),
    }
}

fn single_recipient(world: &State, body: &Value, name: &str) -> Result<Option<Person>, GraphError> {
    field(body, name)
        .map(|v| recipient(world, v, name))
        .transpose()
}

/// `itemBody`. Assumption: a body without `contentType` is text.
fn item_body(body: &Value) -> Result<Option<(String, String)>, GraphError> {
    let Some(v) = field(body, "body") else {
        return Ok(None);
    };
    if !v.is_object() {
        return Err(invalid("body"));
    }
    let kind = match v.get("contentType") {
        None | Some(Value::Null) => "text",
        Some(Value::String(s)) => content_type(s).ok_or_else(|| invalid("body"))?,
        Some(_) => return Err(invalid("body")),
    };
    let content = match v.get("content") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(invalid("body")),
    };
    Ok(Some((kind.to_string(), content)))
}

/// Read the properties of a message in a request body.
pub(crate) fn parse(world: &State, body: &Value) -> Result<MessagePatch, GraphError> {
    if !body.is_object() {
        return Err(GraphError::bad_request(
            "The request body must be a message object.",
        ));
    }
    let importance = match string(body, "importance")? {
        None => None,
        Some(v) => Some(
            ["low", "normal", "high"]
                .into_iter()
                .find(|a| a.eq_ignore_ascii_case(&v))
                .ok_or_else(|| invalid("importance"))?
                .to_string(),
        ),
    };
    let categories = match field(body, "categories") {
        None => None,
        Some(Value::Array(list)) => Some(
            list.iter()
                .map(|c| {
                    c.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| invalid("categories"))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(invalid("categories")),
    };
    let is_read = match field(body, "isRead") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(invalid("isRead")),
    };
    Ok(MessagePatch {
        subject: string(body, "subject")?,
        body: item_body(body)?,
        from: single_recipient(world, body, "from")?,
        sender: single_recipient(world, body, "sender")?,
        to: recipients(world, body, "toRecipients")?,
        cc: recipients(world, body, "ccRecipients")?,
        bcc: recipients(world, body, "bccRecipients")?,
        reply_to: recipients(world, body, "replyTo")?,
        importance,
        categories,
        is_read,
        internet_message_id: string(body, "internetMessageId")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;

    #[test]
    fn recipients_are_resolved_and_wrong_types_refused() {
        let world = crate::seed::seed(Utc::now());
        let p = parse(
            &world,
            &json!({
                "subject": "Hi",
                "importance": "Low",
                "body": {"contentType": "HTML", "content": "<b>x</b>"},
                "toRecipients": [
                    {"emailAddress": {"address": "OLIVIA.GRANT@contoso.com"}},
                    {"emailAddress": {"address": "buyer@example.com"}}
                ],
                "from": {"emailAddress": {"address": "olivia.grant@contoso.com"}}
            }),
        )
        .unwrap();
        assert!(p.from.is_some() && p.sets_draft_only());
        let to = p.to.unwrap();
        assert_eq!(to[0].name, "Olivia Grant");
        assert_eq!(to[1].name, "buyer@example.com");
        assert_eq!(p.importance.as_deref(), Some("low"));
        assert_eq!(p.body.unwrap().0, "html");
        for bad in [
            json!({"toRecipients": "someone@example.com"}),
            json!({"toRecipients": [{"address": "a@b.c"}]}),
            json!({"body": {"contentType": "rtf", "content": "x"}}),
            json!({"subject": 4}),
            json!({"isRead": "yes"}),
            json!(["not", "an", "object"]),
        ] {
            let e = parse(&world, &bad).err().unwrap();
            assert_eq!((e.status.as_u16(), e.code), (400, "BadRequest"), "{bad}");
        }
    }
}
