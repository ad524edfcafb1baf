//! The message as a draft in the user's own Drafts folder, with `from` set to the owner when
//! the user writes for someone else (Exchange's Send on Behalf), and optionally sent at once.
//! A right the owner's record says was not given is refused before anything is written; one
//! nothing proves is left to Exchange, whose refusal (`ErrorSendAsDenied`) is explained with
//! who can grant it.

use onbehalf_graph::models::MailAddress;
use onbehalf_graph::{source_error, GraphError, MessageBody, OutgoingMessage};
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, ServiceError};
use crate::slots::keep::is_kept;
use crate::slots::message::{compose_message, MessageRequest};
use crate::slots::picker::SendOnBehalf;
use crate::Onbehalf;

/// A draft to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DraftRequest {
    pub message: MessageRequest,
    /// Recipients' addresses; may be empty (they are added in Outlook).
    #[serde(default)]
    pub to: Vec<String>,
    /// Send it at once instead of leaving it in Drafts (needs a recipient).
    #[serde(default)]
    pub send: bool,
}

/// What became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DraftOutcome {
    /// Outlook on the web's link to the draft (none once sent).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub web_link: Option<String>,
    pub sent: bool,
    /// Who the message is from (the owner when written on their behalf).
    pub from: String,
    /// Worded for a person: where the draft is, or that it was sent.
    pub notice: String,
}

impl Onbehalf {
    /// Make the draft (and send it when asked).
    pub async fn create_slot_draft(
        &self,
        request: &DraftRequest,
    ) -> Result<DraftOutcome, ServiceError> {
        let found = &request.message.found;
        let on_behalf = !found
            .owner
            .address
            .eq_ignore_ascii_case(&found.sender.address);
        let owner = &found.owner;
        if on_behalf {
            let picked = self.picked_calendar(&owner.address).await?;
            if picked.send_on_behalf == SendOnBehalf::NotGranted {
                return Err(not_granted(&owner.name, &owner.address));
            }
        }
        let to = recipients(&request.to)?;
        if request.send && to.is_empty() {
            return Err(ServiceError::new(
                ErrorCode::InvalidInput,
                "Say who the message is for before sending it.",
            ));
        }
        let composed = compose_message(&request.message)?;
        let session = self.session().await?;
        let client = session.source.client();
        let message = OutgoingMessage {
            subject: composed.message.subject.clone(),
            body: MessageBody::Html(composed.message.html.clone()),
            to,
            cc: Vec::new(),
            from: on_behalf.then(|| MailAddress::named(&owner.name, &owner.address)),
            // Replies that book a time come to the one who watches for them.
            reply_to: match (on_behalf, composed.token.is_some()) {
                (true, true) => vec![MailAddress::named(
                    &found.sender.name,
                    &found.sender.address,
                )],
                _ => Vec::new(),
            },
        };
        let kept = is_kept(&request.message);
        let (reference, held) = match kept {
            true => {
                let (r, n) = self
                    .keep_offer(&request.message, &composed, &request.to)
                    .await?;
                (Some(r), n)
            }
            false => (None, 0),
        };
        let draft = match client.create_draft(&message).await {
            Ok(d) => d,
            Err(e) => {
                if let Some(reference) = &reference {
                    // Nothing was sent: the offer and its holds go too.
                    if let Err(w) = self.withdraw_offer(reference).await {
                        tracing::warn!(error = %w, "an offer whose draft failed stays open");
                    }
                }
                return Err(mail_error(e, on_behalf, &owner.name, &owner.address));
            }
        };
        let held = held_words(held, &owner.name);
        let from = match on_behalf {
            true => owner.address.clone(),
            false => found.sender.address.clone(),
        };
        if !request.send {
            return Ok(DraftOutcome {
                web_link: draft.web_link,
                sent: false,
                notice: match on_behalf {
                    true => format!(
                        "The draft is in your Drafts folder, from {} (sent by you on their \
                         behalf).{held}",
                        owner.name
                    ),
                    false => format!("The draft is in your Drafts folder.{held}"),
                },
                from,
            });
        }
        client.send_draft(&draft.id).await.map_err(|e| {
            let mut error = mail_error(e, on_behalf, &owner.name, &owner.address);
            error
                .message
                .push_str(" The draft is still in your Drafts folder.");
            error
        })?;
        Ok(DraftOutcome {
            web_link: None,
            sent: true,
            notice: match on_behalf {
                true => format!("Sent from {} by you, on their behalf.{held}", owner.name),
                false => format!("Sent.{held}"),
            },
            from,
        })
    }
}

fn recipients(addresses: &[String]) -> Result<Vec<MailAddress>, ServiceError> {
    addresses
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| match a.contains('@') {
            true => Ok(MailAddress::new(a)),
            false => Err(ServiceError::invalid_input(format!(
                "\"{a}\" is not an e-mail address."
            ))),
        })
        .collect()
}

/// Who can give the right, and what to do meanwhile.
fn not_granted(name: &str, address: &str) -> ServiceError {
    ServiceError::new(
        ErrorCode::Refused,
        format!(
            "You do not have the right to send mail on behalf of {name} ({address}). {name} can \
             give it in Outlook (File › Account Settings › Delegate Access), or an Exchange \
             administrator can grant Send on Behalf. Meanwhile, copy the message and send it \
             yourself."
        ),
    )
}

fn mail_error(e: GraphError, on_behalf: bool, name: &str, address: &str) -> ServiceError {
    if on_behalf && e.is_send_as_denied() {
        return not_granted(name, address);
    }
    if e.code() == Some(onbehalf_graph::codes::ACCESS_DENIED) {
        return ServiceError::new(
            ErrorCode::SignInRequired,
            "Onbehalf may not write mail for you yet: sign in again and allow it to create and \
             send messages.",
        );
    }
    ServiceError::from(source_error(e))
}

/// " 3 times are held on Olivia Grant's calendar." or nothing.
pub(crate) fn held_words(held: usize, owner_name: &str) -> String {
    match held {
        0 => String::new(),
        1 => format!(" The time is held on {owner_name}'s calendar until it is booked."),
        n => format!(" The {n} times are held on {owner_name}'s calendar until one is booked."),
    }
}
