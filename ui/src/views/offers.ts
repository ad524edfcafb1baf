// The offers replies may book: each with its reference, subject, whom it went to, how many
// times it offers and holds, and what became of it; an open one can be withdrawn (its holds
// are released).

import { fill, h } from "../dom";
import type { OfferView } from "../ipc";
import { offerState } from "../slot-format";

export class OffersView {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;

  constructor(private readonly onWithdraw: (reference: string) => void) {
    this.list = h("ul", { id: "slot-offers-list", class: "offer-list" });
    this.el = h(
      "section",
      { id: "slot-offers", class: "panel slot-offers", "aria-labelledby": "slot-offers-title", hidden: true },
      h("div", { class: "panel-head" }, h("h2", { id: "slot-offers-title" }, "Offers")),
      h("p", { class: "muted" }, "Offers sent with reply links or held times. Replies are read every two minutes while one is open."),
      this.list,
    );
  }

  setOffers(offers: OfferView[]): void {
    this.el.hidden = offers.length === 0;
    fill(this.list, ...offers.map((o) => this.entry(o)));
  }

  private entry(o: OfferView): HTMLElement {
    const withdraw =
      o.state === "open"
        ? h(
            "button",
            {
              type: "button",
              class: "quiet offer-withdraw",
              "aria-label": `Withdraw offer OB-${o.reference}`,
              onclick: () => this.onWithdraw(o.reference),
            },
            "Withdraw",
          )
        : null;
    return h(
      "li",
      { class: "offer-entry", "data-reference": o.reference, "data-state": o.state },
      h(
        "div",
        { class: "offer-text" },
        h("span", { class: "offer-subject" }, o.subject),
        h("span", { class: "muted" }, ` · OB-${o.reference}`),
        h("div", { class: "muted", "data-field": "state" }, offerState(o)),
      ),
      withdraw,
    );
  }
}
