//! When a reply chose a time that is no longer free: a reply draft to whoever chose it, offering
//! the next free times of the same request as a new offer of its own (links and all), from the
//! owner when the offer was made on their behalf.

use onbehalf_engine::slots::params::Slot;
use onbehalf_graph::models::MailAddress;
use onbehalf_graph::{source_error, MessageBody, OutgoingMessage};

use crate::error::ServiceError;
use crate::slots::find::{Person, SlotsFound};
use crate::slots::message::{compose_message, new_token, MessageRequest};
use crate::slots::offer::Offer;
use crate::Onbehalf;

impl Onbehalf {
    pub(crate) async fn offer_instead(
        &self,
        offer: &Offer,
        attendee: &Person,
        alternatives: Vec<Slot>,
    ) -> Result<(), ServiceError> {
        let first_day = alternatives.first().map(Slot::day);
        let last_day = alternatives.last().map(Slot::day);
        let (Some(first_day), Some(last_day)) = (first_day, last_day) else {
            return self.say_nothing_free(offer, attendee).await;
        };
        let found = SlotsFound {
            owner: offer.owner.clone(),
            sender: offer.sender.clone(),
            with: offer.with.clone(),
            duration_minutes: offer.prefs.duration_minutes,
            prefs: offer.prefs.clone(),
            first_day,
            last_day,
            recipient_zone_name: String::new(),
            recipient_zone: offer.recipient_zone.clone(),
            owner_zone: None,
            slots: alternatives,
            free: Vec::new(),
        };
        let request = MessageRequest {
            found,
            picked: Vec::new(),
            availability: false,
            note: Some(format!(
                "Thank you. The time you chose has just been taken; here are the next free \
                 times with {}.",
                offer.owner.name
            )),
            reply_links: true,
            token: Some(new_token()),
            holds: false,
            hold_days: None,
        };
        let composed = compose_message(&request)?;
        self.keep_offer(&request, &composed, std::slice::from_ref(&attendee.address))
            .await?;
        let subject = format!("Re: {}", composed.message.subject);
        self.reply_draft(offer, attendee, subject, composed.message.html)
            .await
    }

    async fn say_nothing_free(&self, offer: &Offer, attendee: &Person) -> Result<(), ServiceError> {
        let html = format!(
            "<p>Thank you. The time you chose has just been taken, and {} has no other free \
             time in the period offered. Could you suggest another period?</p>",
            html_escape(&offer.owner.name)
        );
        let subject = format!("Re: {}", offer.subject);
        self.reply_draft(offer, attendee, subject, html).await
    }

    async fn reply_draft(
        &self,
        offer: &Offer,
        attendee: &Person,
        subject: String,
        html: String,
    ) -> Result<(), ServiceError> {
        let on_behalf = !offer
            .owner
            .address
            .eq_ignore_ascii_case(&offer.sender.address);
        let message = OutgoingMessage {
            subject,
            body: MessageBody::Html(html),
            to: vec![MailAddress::named(&attendee.name, &attendee.address)],
            cc: Vec::new(),
            from: on_behalf.then(|| MailAddress::named(&offer.owner.name, &offer.owner.address)),
            reply_to: match on_behalf {
                true => vec![MailAddress::named(
                    &offer.sender.name,
                    &offer.sender.address,
                )],
                false => Vec::new(),
            },
        };
        let session = self.session().await?;
        session
            .source
            .client()
            .create_draft(&message)
            .await
            .map_err(|e| ServiceError::from(source_error(e)))?;
        Ok(())
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
