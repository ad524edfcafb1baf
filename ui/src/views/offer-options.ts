// How an offer of times goes out: with reply links (a reply that picks a time books it) and
// with the times held on the calendar until one is booked. Shown for times, not availability.

import { h } from "../dom";

export interface OfferChoice {
  replyLinks: boolean;
  holds: boolean;
}

export class OfferOptions {
  readonly el: HTMLElement;
  private readonly replyLinks: HTMLInputElement;
  private readonly holds: HTMLInputElement;

  constructor(onChange: () => void) {
    this.replyLinks = h("input", { id: "slot-reply-links", type: "checkbox", "aria-describedby": "slot-reply-links-help" });
    this.holds = h("input", { id: "slot-holds", type: "checkbox", "aria-describedby": "slot-holds-help" });
    this.replyLinks.addEventListener("change", onChange);
    this.holds.addEventListener("change", onChange);
    this.el = h(
      "fieldset",
      { id: "slot-offer-options", class: "offer-options" },
      h("legend", { class: "section-title" }, "When the customer answers"),
      h(
        "div",
        { class: "offer-check" },
        this.replyLinks,
        h("label", { for: "slot-reply-links" }, "Reply links: a reply that picks a time books it"),
      ),
      h(
        "p",
        { id: "slot-reply-links-help", class: "help" },
        "Each time links to a ready reply to you. Onbehalf watches your inbox for it while the offer is open, books the time if it is still free, and tells you.",
      ),
      h("div", { class: "offer-check" }, this.holds, h("label", { for: "slot-holds" }, "Hold these times on the calendar")),
      h(
        "p",
        { id: "slot-holds-help", class: "help" },
        "Tentative, in the category “Onbehalf hold”, until one is booked or the offer ends. Needs the right to create items there.",
      ),
    );
  }

  value(): OfferChoice {
    return { replyLinks: this.replyLinks.checked, holds: this.holds.checked };
  }

  /** Offering times: shown; availability: hidden (nothing there can be booked). */
  setShown(shown: boolean): void {
    this.el.hidden = !shown;
  }
}
