//! An offer leaving the app (copied, or made a draft) is kept when replies may book it or its
//! times are held: its times in the order offered, under the reference its links carry.

use chrono::{DateTime, Duration, Utc};

use crate::error::{ErrorCode, ServiceError};
use crate::slots::message::{new_token, picked, ComposedMessage, MessageRequest};
use crate::slots::offer::Offer;
use crate::Onbehalf;

/// Whether the offer is kept at all: only replies and holds need it.
pub(crate) fn is_kept(request: &MessageRequest) -> bool {
    !request.availability && (request.reply_links || request.holds)
}

impl Onbehalf {
    /// Keep the offer `composed` makes of `request` (and hold its times when asked): its
    /// reference, and how many times are held.
    pub(crate) async fn keep_offer(
        &self,
        request: &MessageRequest,
        composed: &ComposedMessage,
        to: &[String],
    ) -> Result<(String, usize), ServiceError> {
        let found = &request.found;
        let slots = picked(found, &request.picked)?;
        let Some(last) = slots.iter().map(|s| s.start.to_utc()).max() else {
            return Err(ServiceError::new(
                ErrorCode::Other,
                "There are no times to offer.",
            ));
        };
        let expires_at = expiry(last, request.hold_days, Utc::now());
        let reference = composed.token.unwrap_or_else(new_token).to_string();
        let offer = Offer {
            reference: reference.clone(),
            owner: found.owner.clone(),
            sender: found.sender.clone(),
            // The meeting's own subject, without the offer's marker.
            subject: composed
                .message
                .subject
                .strip_suffix(&format!(" [OB-{reference}]"))
                .unwrap_or(&composed.message.subject)
                .to_string(),
            slots,
            to: to.to_vec(),
            with: found.with.clone(),
            prefs: found.prefs.clone(),
            recipient_zone: found.recipient_zone.clone(),
            booked: None,
        };
        let held = self.place_offer(offer, request.holds, expires_at).await?;
        self.wake_offer_watch();
        Ok((reference, held))
    }

    /// The message for `request` after it was copied: the offer is kept (and its times held)
    /// when replies may book it; how many times are held.
    pub async fn offer_copied(
        &self,
        request: &MessageRequest,
        composed: &ComposedMessage,
    ) -> Result<usize, ServiceError> {
        match is_kept(request) {
            true => Ok(self.keep_offer(request, composed, &[]).await?.1),
            false => Ok(0),
        }
    }
}

/// When the last time begins, or `days` after `now` when that is sooner.
fn expiry(last_start: DateTime<Utc>, days: Option<u32>, now: DateTime<Utc>) -> DateTime<Utc> {
    match days {
        Some(d) => last_start.min(now + Duration::days(i64::from(d))),
        None => last_start,
    }
}
