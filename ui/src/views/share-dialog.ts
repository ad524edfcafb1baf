// The Share dialog: one calendar item, the CRM records suggested from its attendees' addresses,
// a search of the CRM, one person slot (contact or lead) and one "about" slot (account,
// opportunity or case), then Share with its progress and what came of it.

import { fill, h } from "../dom";
import type { CrmRecord, ItemView, ServiceError, ShareOutcome } from "../ipc";
import {
  RECORD_KIND_LABELS,
  count,
  crmOwnerText,
  dayHeading,
  dayOf,
  isPerson,
  recordDetail,
  timeText,
} from "../share-format";
import { Modal } from "./modal";

/** Typing pauses this long before the CRM is asked. */
const SEARCH_DELAY_MS = 300;
const MIN_SEARCH = 2;

export interface ShareContext {
  item: ItemView;
  /** "Olivia Grant's calendar" or "Your calendar". */
  calendarText: string;
  ownerName: string;
  /** Known CRM users, to say whose CRM calendar the event went to. */
  crmUsers: { me: string | null; owner: string | null; ownerName: string };
  /** Where the focus goes afterwards (the item's row is drawn again). */
  returnFocus: () => HTMLElement | null;
}

export interface ShareHandlers {
  match: (addresses: string[]) => Promise<CrmRecord[]>;
  search: (text: string) => Promise<CrmRecord[]>;
  share: (recordIds: string[]) => Promise<ShareOutcome>;
  /** The share was made: the item as it stands now, and the records chosen. */
  onShared: (outcome: ShareOutcome, chosen: CrmRecord[]) => void;
}

export function shareDialog(ctx: ShareContext, handlers: ShareHandlers): void {
  new ShareDialog(ctx, handlers).show();
}

class ShareDialog {
  private readonly modal: Modal;
  private readonly form: HTMLFormElement;
  private readonly slots: HTMLElement;
  private readonly suggestions: HTMLElement;
  private readonly results: HTMLElement;
  private readonly searchInput: HTMLInputElement;
  private readonly searchHint: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly error: HTMLElement;
  private readonly submit: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private readonly linksAllowed: boolean;
  private person: CrmRecord | null = null;
  private about: CrmRecord | null = null;
  private suggested: CrmRecord[] = [];
  private found: CrmRecord[] = [];
  private busy = false;
  private searchTimer: number | undefined;
  /** Only the answer to the latest search is shown. */
  private searchSeq = 0;

  constructor(
    private readonly ctx: ShareContext,
    private readonly handlers: ShareHandlers,
  ) {
    const item = ctx.item;
    const linkVerdict = item.actions.link_crm_records;
    this.linksAllowed = linkVerdict?.allowed === true;

    this.slots = h("dl", { id: "share-slots", class: "share-slots" });
    this.suggestions = h("ul", { id: "share-suggestions", class: "records", "aria-label": "Records suggested from the attendees" });
    this.results = h("ul", { id: "share-results", class: "records", "aria-label": "Records found" });
    this.searchHint = h("p", { id: "share-search-hint", class: "help" });
    this.searchInput = h("input", {
      id: "share-search",
      type: "search",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Name, company, opportunity or case number",
      "aria-describedby": "share-search-hint",
    });
    this.searchInput.addEventListener("input", () => this.searchSoon());
    this.searchInput.addEventListener("keydown", (e) => {
      // Enter in the search box searches at once; everywhere else it shares.
      if (e.key === "Enter") {
        e.preventDefault();
        this.searchNow();
      }
    });
    this.progress = h("div", { id: "share-progress", class: "progress", role: "status", hidden: true });
    this.error = h("p", { id: "share-error", class: "error-text", role: "alert", hidden: true });
    this.cancel = h("button", { type: "button", id: "share-cancel" }, "Cancel");
    this.submit = h("button", { type: "submit", id: "share-submit", class: "primary", "aria-keyshortcuts": "Enter" }, "Share");
    this.cancel.addEventListener("click", () => this.modal.close());

    const links = this.linksAllowed
      ? [
          h(
            "section",
            { class: "share-section", "aria-labelledby": "share-slots-title" },
            h("h3", { id: "share-slots-title", class: "section-title" }, "Link the event to"),
            this.slots,
          ),
          item.attendees.length > 0
            ? h(
                "section",
                { class: "share-section", "aria-labelledby": "share-suggested-title" },
                h("h3", { id: "share-suggested-title", class: "section-title" }, "Suggested from the attendees"),
                this.suggestions,
              )
            : null,
          h(
            "section",
            { class: "share-section" },
            h("label", { for: "share-search", class: "section-title" }, "Search the CRM"),
            this.searchInput,
            this.searchHint,
            this.results,
          ),
        ]
      : [
          h(
            "p",
            { id: "share-no-links", class: "problem", role: "note" },
            linkVerdict?.reason ?? "Records cannot be linked to this item.",
            " It is saved to the CRM without them.",
          ),
        ];

    this.form = h(
      "form",
      { class: "modal-form", novalidate: true },
      h(
        "header",
        { class: "modal-head" },
        h("h2", { id: "share-title", class: "modal-title" }, "Share to the CRM"),
        h(
          "div",
          { id: "share-item", class: "share-item" },
          h("p", { class: "share-subject" }, item.subject),
          h(
            "p",
            { class: "muted" },
            `${dayHeading(dayOf(item))}, ${timeText(item)} · ${ctx.calendarText}`,
            item.private ? " · Private" : "",
          ),
        ),
      ),
      h("div", { class: "modal-body share-body" }, ...links.filter((l): l is HTMLElement => l !== null)),
      this.progress,
      this.error,
      h("div", { class: "modal-actions" }, this.cancel, this.submit),
    );
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.doShare();
    });
    this.modal = new Modal(
      { id: "share-dialog", labelledBy: "share-title", describedBy: "share-item", busy: () => this.busy, wide: true, returnFocus: ctx.returnFocus },
      this.form,
    );
    this.renderSlots();
    this.renderHint();
  }

  show(): void {
    this.modal.show(this.linksAllowed ? this.searchInput : this.submit);
    if (this.linksAllowed && this.ctx.item.attendees.length > 0) void this.loadSuggestions();
  }

  // ------------------------------------------------------------------ records

  private async loadSuggestions(): Promise<void> {
    fill(this.suggestions, h("li", { class: "muted" }, "Looking for the attendees in the CRM…"));
    try {
      this.suggested = await this.handlers.match(this.ctx.item.attendees);
      this.renderRecords(this.suggestions, this.suggested, "None of the attendees is a contact or lead in the CRM.");
    } catch (e) {
      fill(this.suggestions, h("li", { class: "error-text" }, (e as ServiceError).message));
    }
  }

  private searchSoon(): void {
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => this.searchNow(), SEARCH_DELAY_MS);
  }

  private searchNow(): void {
    window.clearTimeout(this.searchTimer);
    const text = this.searchInput.value.trim();
    const seq = ++this.searchSeq;
    if (text.length < MIN_SEARCH) {
      this.found = [];
      fill(this.results);
      this.renderHint();
      return;
    }
    fill(this.searchHint, "Searching…");
    void this.handlers
      .search(text)
      .then((records) => {
        if (seq !== this.searchSeq) return;
        this.found = records;
        this.renderHint(
          records.length === 0
            ? `No record matches “${text}”.`
            : `${count(records.length, "record matches", "records match")} “${text}”.`,
        );
        this.renderRecords(this.results, records, null);
      })
      .catch((e: ServiceError) => {
        if (seq !== this.searchSeq) return;
        this.found = [];
        fill(this.results);
        this.renderHint(e.message);
      });
  }

  private renderHint(text: string | null = null): void {
    fill(this.searchHint, text ?? "Type at least two letters: a name, a company, an opportunity or a case number.");
  }

  private renderRecords(list: HTMLElement, records: CrmRecord[], none: string | null): void {
    if (records.length === 0) {
      fill(list, none ? h("li", { class: "muted" }, none) : null);
      return;
    }
    fill(list, ...records.map((r) => this.recordRow(r)));
  }

  private recordRow(r: CrmRecord): HTMLElement {
    const chosen = this.person?.id === r.id || this.about?.id === r.id;
    const role = isPerson(r.type) ? "the person the meeting is with" : "what the meeting is about";
    const detail = recordDetail(r);
    return h(
      "li",
      { class: chosen ? "record chosen" : "record", "data-record-id": r.id, "data-record-type": r.type },
      h(
        "div",
        { class: "record-text" },
        h("span", { class: "record-name" }, r.name),
        h("span", { class: `chip kind-record kind-${r.type}` }, RECORD_KIND_LABELS[r.type]),
        detail ? h("span", { class: "record-detail" }, detail) : null,
      ),
      h(
        "button",
        {
          type: "button",
          class: "choose",
          "aria-pressed": String(chosen),
          "aria-label": chosen ? `Remove ${r.name} from the share` : `Choose ${r.name} as ${role}`,
          onclick: () => this.toggle(r),
        },
        chosen ? "Chosen" : "Choose",
      ),
    );
  }

  private toggle(r: CrmRecord): void {
    const slot = isPerson(r.type) ? "person" : "about";
    this[slot] = this[slot]?.id === r.id ? null : r;
    this.renderSlots();
    this.renderRecords(this.suggestions, this.suggested, "None of the attendees is a contact or lead in the CRM.");
    this.renderRecords(this.results, this.found, null);
    // The row was drawn again: keep the focus on its button.
    this.form.querySelector<HTMLElement>(`[data-record-id="${CSS.escape(r.id)}"] button.choose`)?.focus();
  }

  private renderSlots(): void {
    const slot = (name: "person" | "about", label: string, empty: string): HTMLElement[] => {
      const r = this[name];
      return [
        h("dt", {}, label),
        h(
          "dd",
          { "data-slot": name, "data-record-id": r?.id ?? null },
          r
            ? h(
                "span",
                { class: "slot-record" },
                h("strong", {}, r.name),
                ` · ${RECORD_KIND_LABELS[r.type]}`,
                recordDetail(r) ? ` · ${recordDetail(r)}` : "",
              )
            : h("span", { class: "muted" }, empty),
          r
            ? h(
                "button",
                {
                  type: "button",
                  class: "quiet",
                  "aria-label": `Remove ${r.name}`,
                  onclick: () => {
                    this[name] = null;
                    this.renderSlots();
                    this.renderRecords(this.suggestions, this.suggested, "None of the attendees is a contact or lead in the CRM.");
                    this.renderRecords(this.results, this.found, null);
                    this.searchInput.focus();
                  },
                },
                "Remove",
              )
            : null,
        ),
      ];
    };
    fill(
      this.slots,
      ...slot("person", "Person", "No contact or lead chosen"),
      ...slot("about", "About", "No account, opportunity or case chosen"),
    );
  }

  // ------------------------------------------------------------------ sharing

  private async doShare(): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    const chosen = [this.person, this.about].filter((r): r is CrmRecord => r !== null);
    try {
      const outcome = await this.handlers.share(chosen.map((r) => r.id));
      this.handlers.onShared(outcome, chosen);
      this.setBusy(false);
      this.showOutcome(outcome);
    } catch (e) {
      this.setBusy(false);
      this.error.hidden = false;
      fill(this.error, (e as ServiceError).message);
      this.submit.focus();
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.submit.disabled = busy;
    this.cancel.disabled = busy;
    this.searchInput.disabled = busy;
    for (const b of this.form.querySelectorAll<HTMLButtonElement>(".share-body button")) b.disabled = busy;
    this.progress.hidden = !busy;
    fill(this.progress, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, "Sharing…"));
    if (busy) this.error.hidden = true;
  }

  private showOutcome(outcome: ShareOutcome): void {
    const { title, lines } = outcomeWords(outcome, this.ctx);
    const done = h("button", { type: "button", id: "share-done", class: "primary" }, "Done");
    done.addEventListener("click", () => this.modal.close());
    fill(
      this.form,
      h(
        "header",
        { class: "modal-head" },
        h("h2", { id: "share-title", class: "modal-title" }, title),
        h("div", { id: "share-item", class: "share-item" }, h("p", { class: "share-subject" }, this.ctx.item.subject)),
      ),
      h(
        "div",
        { id: "share-outcome", class: "modal-body", role: "status", "data-share": outcome.item?.share ?? "unknown" },
        ...lines.map((l) => h("p", {}, l)),
      ),
      h("div", { class: "modal-actions" }, done),
    );
    done.focus();
  }
}

/** What a share did, in words: a title and what to know. */
export function outcomeWords(o: ShareOutcome, ctx: ShareContext): { title: string; lines: string[] } {
  const item = o.item;
  const lines: string[] = [];
  let title: string;
  if (!item) {
    title = "Shared";
    lines.push("The item could not be read back just now; the list shows it when it is next read.");
  } else {
    switch (item.share) {
      case "shared":
        title = "Saved to the CRM";
        lines.push(item.crm ? `The event is in ${crmOwnerText(item.crm.owner, ctx.crmUsers)}.` : "The event is in the CRM.");
        break;
      case "pending":
        title = "Share recorded";
        lines.push(
          item.pending?.waiting_for ??
            (o.waits_for_owner
              ? `Waiting for ${ctx.ownerName}'s Onbehalf to save it.`
              : "It is saved to the CRM at the next sync."),
        );
        break;
      case "problem":
        title = "Share recorded, with a problem";
        lines.push(...item.problems.map((p) => p.message));
        break;
      case "none":
        title = "Not shared";
        lines.push("The item is not shared.");
        break;
    }
  }
  for (const note of o.notes) if (!lines.includes(note)) lines.push(note);
  return { title, lines };
}
