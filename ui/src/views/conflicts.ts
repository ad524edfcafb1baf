// The Conflicts view: the items whose two sides differ and wait for the user's decision, each
// field with its value in Outlook and in the CRM, Keep Outlook and Keep CRM (or why one may
// not be kept); then what merges decided by the configured winner overwrote, each with Dismiss.

import { fill, h } from "../dom";
import { showError, showNotice } from "./banner";
import { FIELD_LABELS, sideName, valueText, waitingText, whenText } from "../conflict-format";
import type { ConflictView, ConflictsView, OverwriteView, ServiceError, Winner } from "../ipc";
import { since } from "./since";
import { ProgressLine } from "./progress";

export interface ConflictsHandlers {
  onRefresh: () => void;
  onKeep: (conflict: ConflictView, keep: Winner) => void;
  onDismiss: (notice: OverwriteView) => void;
  onOpenItems: () => void;
  onOpenSettings: () => void;
  onSignInAgain: () => void;
}

export class ConflictsScreenView {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly refreshButton: HTMLButtonElement;
  private readonly progress: ProgressLine;
  private readonly error: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly open: HTMLElement;
  private readonly overwritten: HTMLElement;
  private view: ConflictsView | null = null;

  constructor(
    private readonly handlers: ConflictsHandlers,
    /** The name of the calendar with this owner address ("Your calendar" for your own). */
    private readonly calendarName: (address: string) => string,
  ) {
    this.title = h("h1", { id: "conflicts-title", tabindex: "-1" }, "Conflicts");
    this.summary = h("p", { id: "conflicts-summary", class: "muted", "aria-live": "polite" });
    this.refreshButton = h("button", { id: "conflicts-refresh", type: "button", onclick: () => handlers.onRefresh() }, "Refresh");
    this.progress = new ProgressLine("conflicts-progress");
    this.error = h("section", { id: "conflicts-error", class: "banner error", role: "alert", hidden: true });
    this.notice = h("section", { id: "conflicts-notice", class: "banner notice", role: "status", hidden: true });
    this.open = h("div", { id: "conflicts", class: "conflict-list" });
    this.overwritten = h("ul", { id: "overwritten", class: "overwrite-list" });
    this.el = h(
      "section",
      { id: "conflicts-screen", class: "conflicts-screen", "aria-labelledby": "conflicts-title" },
      h(
        "div",
        { class: "toolbar" },
        h("div", { class: "toolbar-title" }, this.title, this.summary),
        h(
          "div",
          { class: "toolbar-actions" },
          h("button", { id: "conflicts-items", type: "button", class: "quiet", onclick: () => handlers.onOpenItems() }, "Back to items"),
          this.refreshButton,
        ),
      ),
      this.progress.el,
      this.error,
      this.notice,
      h(
        "section",
        { class: "conflicts-part", "aria-labelledby": "conflicts-open-title" },
        h("h2", { id: "conflicts-open-title", class: "part-title" }, "Waiting for your decision"),
        h(
          "p",
          { class: "help" },
          "Each of these was changed in the CRM in a way Onbehalf does not carry into Outlook by itself. " +
            "Keep Outlook's values and the CRM event takes them; keep the CRM's and the appointment in Outlook takes them. " +
            "A meeting is never changed in Outlook by Onbehalf: that would send an update to every attendee.",
        ),
        this.open,
      ),
      h(
        "section",
        { class: "conflicts-part", "aria-labelledby": "overwritten-title" },
        h("h2", { id: "overwritten-title", class: "part-title" }, "Changed on both sides"),
        h(
          "p",
          { class: "help" },
          "These fields were changed in Outlook and in the CRM before a sync. The side that wins such a change " +
            "(Settings, Sync) was kept on both; here is what it replaced.",
        ),
        this.overwritten,
      ),
    );
    this.render();
  }

  focus(): void {
    this.title.focus();
  }

  setBusy(text: string | null): void {
    this.progress.set(text);
    this.el.setAttribute("aria-busy", String(text !== null));
    this.refreshButton.disabled = text !== null;
  }

  /** What was read, or null while nothing is (the lists are cleared). */
  setView(view: ConflictsView | null): void {
    this.view = view;
    this.render();
  }

  setNotice(text: string | null): void {
    showNotice(this.notice, text, "Dismiss", { text: "conflicts-notice-text" });
  }


  setError(error: ServiceError | null): void {
    showError(this.error, error, this.handlers);
  }


  /** Where the focus goes once the conflict or notice at `index` of its list is gone: the one
   * that took its place, or the last one, or the title when none is left. */
  elementAfter(list: "conflicts" | "overwritten", index: number): HTMLElement {
    const root = list === "conflicts" ? this.open : this.overwritten;
    const heads = root.querySelectorAll<HTMLElement>("h3");
    return heads[Math.min(index, heads.length - 1)] ?? this.title;
  }

  private render(): void {
    const view = this.view;
    if (view === null) {
      fill(this.summary);
      fill(this.open);
      fill(this.overwritten);
      return;
    }
    const n = view.conflicts.length;
    fill(this.summary, n === 0 ? "Nothing waits for your decision" : waitingText(n));
    fill(
      this.open,
      ...(n === 0
        ? [h("p", { class: "empty", id: "conflicts-empty" }, "No conflicts: Outlook and the CRM agree on every shared item.")]
        : view.conflicts.map((c) => this.conflict(c))),
    );
    fill(
      this.overwritten,
      ...(view.overwritten.length === 0
        ? [h("li", { class: "empty", id: "overwritten-empty" }, "Nothing was overwritten.")]
        : view.overwritten.map((o) => this.overwrite(o))),
    );
  }

  private conflict(c: ConflictView): HTMLElement {
    const key = cssSafe(`${c.calendar}-${c.item}`);
    const titleId = `conflict-${key}`;
    const keepButton = (keep: Winner) => {
      const choice = keep === "exchange" ? c.keep_outlook : c.keep_crm;
      const reasonId = `${titleId}-${keep}-reason`;
      return h(
        "button",
        {
          type: "button",
          class: keep === "exchange" ? "primary" : null,
          "data-keep": keep,
          disabled: !choice.allowed,
          "aria-describedby": choice.allowed ? null : reasonId,
          "aria-label": `Keep ${keep === "exchange" ? "Outlook's" : "the CRM's"} values for “${c.subject}”`,
          onclick: () => this.handlers.onKeep(c, keep),
        },
        keep === "exchange" ? "Keep Outlook" : "Keep CRM",
      );
    };
    const reasons = (["exchange", "crm"] as const)
      .map((keep) => ({ keep, choice: keep === "exchange" ? c.keep_outlook : c.keep_crm }))
      .filter(({ choice }) => !choice.allowed && choice.reason)
      .map(({ keep, choice }) =>
        h(
          "p",
          { class: "conflict-reason", id: `${titleId}-${keep}-reason`, "data-reason": keep },
          `${keep === "exchange" ? "Keep Outlook" : "Keep CRM"} is not possible: ${choice.reason ?? ""}`,
        ),
      );
    return h(
      "article",
      { class: "conflict", "data-item-id": c.item, "data-calendar": c.calendar, "aria-labelledby": titleId },
      h(
        "div",
        { class: "conflict-head" },
        h("h3", { id: titleId, class: "conflict-subject", tabindex: "-1" }, c.subject || "(no subject)"),
        c.meeting ? h("span", { class: "chip meeting-chip" }, "Meeting") : null,
      ),
      h(
        "p",
        { class: "item-meta" },
        this.calendarName(c.calendar),
        " · ",
        whenText(c.when),
        " · ",
        since(c.detected_at, "found {ago}"),
      ),
      values(
        ["In Outlook", "In the CRM"],
        c.fields.map((f) => ({ field: f.field, cells: [valueText(f.field, f.outlook), valueText(f.field, f.crm)] })),
      ),
      h("div", { class: "conflict-actions" }, keepButton("exchange"), keepButton("crm")),
      ...reasons,
    );
  }

  private overwrite(o: OverwriteView): HTMLElement {
    const titleId = `overwrite-${o.id}`;
    return h(
      "li",
      { class: "overwrite", "data-overwrite-id": String(o.id), "data-item-id": o.item, "aria-labelledby": titleId },
      h(
        "div",
        { class: "conflict-head" },
        h("h3", { id: titleId, class: "conflict-subject", tabindex: "-1" }, o.subject || "(no subject)"),
        h(
          "button",
          {
            type: "button",
            class: "quiet",
            "data-action": "dismiss",
            "aria-label": `Dismiss what was overwritten on “${o.subject}”`,
            onclick: () => this.handlers.onDismiss(o),
          },
          "Dismiss",
        ),
      ),
      h("p", { class: "item-meta" }, this.calendarName(o.calendar), " · ", whenText(o.when), " · ", since(o.decided_at, "decided {ago}")),
      values(
        ["Kept", "Overwritten"],
        o.fields.map((f) => {
          const loser: Winner = f.winner === "exchange" ? "crm" : "exchange";
          return {
            field: f.field,
            cells: [`${capital(sideName(f.winner))}: ${valueText(f.field, f.kept)}`, `${capital(sideName(loser))}: ${valueText(f.field, f.overwritten)}`],
          };
        }),
      ),
    );
  }
}

/** A table of fields, one row each, with two columns of values. */
function values(columns: [string, string], rows: { field: keyof typeof FIELD_LABELS; cells: [string, string] }[]): HTMLElement {
  return h(
    "table",
    { class: "values" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, columns[0]), h("th", { scope: "col" }, columns[1])),
    ),
    h(
      "tbody",
      {},
      ...rows.map((r) =>
        h(
          "tr",
          { "data-field": r.field },
          h("th", { scope: "row" }, FIELD_LABELS[r.field]),
          h("td", {}, r.cells[0]),
          h("td", {}, r.cells[1]),
        ),
      ),
    ),
  );
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function cssSafe(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, "_");
}
