// The Items view: one calendar's items in a span (the sync window by default), a search box,
// filters (shared, pending, problems, private), and one row per item grouped by day.

import { fill, h } from "../dom";
import { showError, showNotice } from "./banner";
import { FILTERS, FILTER_LABELS, filterCounts, groupByDay, matchesFilter, matchesSearch, type ItemFilter } from "../item-filter";
import type { ItemView, ServiceError } from "../ipc";
import { dayHeading, dayOf } from "../share-format";
import type { SyncedCalendar } from "../synced-calendars";
import { itemRow, type RowContext, type RowHandlers } from "./item-row";
import { ProgressLine } from "./progress";

export interface ItemsHandlers extends RowHandlers {
  /** Read the items again for the calendar and span shown. */
  onLoad: () => void;
  onOpenSettings: () => void;
  onSignInAgain: () => void;
  onOpenConflicts: () => void;
}

/** A span of whole local days, the last one included. */
export interface Span {
  from: string;
  to: string;
}

export class ItemsView {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly calendarSelect: HTMLSelectElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private readonly spanError: HTMLElement;
  private readonly searchInput: HTMLInputElement;
  private readonly filterBar: HTMLElement;
  private readonly refreshButton: HTMLButtonElement;
  private readonly conflictsButton: HTMLButtonElement;
  private readonly progress: ProgressLine;
  private readonly error: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;
  private calendars: SyncedCalendar[] = [];
  private items: ItemView[] | null = null;
  private rowContext: RowContext | null = null;
  private filter: ItemFilter = "all";
  /** The search words the list was last drawn for. */
  private searched = "";

  constructor(private readonly handlers: ItemsHandlers) {
    this.title = h("h1", { id: "items-title", tabindex: "-1" }, "Items");
    this.calendarSelect = h("select", { id: "items-calendar" });
    this.calendarSelect.addEventListener("change", () => handlers.onLoad());
    this.fromInput = h("input", { id: "items-from", type: "date", required: true });
    this.toInput = h("input", { id: "items-to", type: "date", required: true });
    for (const input of [this.fromInput, this.toInput]) {
      input.addEventListener("change", () => {
        if (this.span()) handlers.onLoad();
      });
    }
    this.spanError = h("p", { id: "items-span-error", class: "error-text", role: "alert", hidden: true });
    this.searchInput = h("input", {
      id: "items-search",
      type: "search",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Subject, place, attendee or category",
    });
    // Drawn again only when the words changed: "change" also fires when the box loses the
    // focus, and redrawing then would swallow the click that moved the focus.
    for (const event of ["input", "search", "change"]) {
      this.searchInput.addEventListener(event, () => {
        if (this.searchInput.value !== this.searched) this.render();
      });
    }
    this.filterBar = h("div", { id: "items-filters", class: "segmented", role: "group", "aria-label": "Show" });
    this.refreshButton = h("button", { id: "items-refresh", type: "button", onclick: () => handlers.onLoad() }, "Refresh");
    this.conflictsButton = h(
      "button",
      { id: "items-conflicts", type: "button", class: "quiet", onclick: () => handlers.onOpenConflicts() },
      "Conflicts",
    );
    this.progress = new ProgressLine("items-progress");
    this.error = h("section", { id: "items-error", class: "banner error", role: "alert", hidden: true });
    this.notice = h("section", { id: "items-notice", class: "banner notice", role: "status", hidden: true });
    this.summary = h("p", { id: "items-summary", class: "muted", "aria-live": "polite" });
    this.list = h("div", { id: "items", class: "item-days" });

    this.el = h(
      "section",
      { id: "items-screen", class: "items-screen", "aria-labelledby": "items-title" },
      h(
        "div",
        { class: "toolbar" },
        h("div", { class: "toolbar-title" }, this.title, this.summary),
        h("div", { class: "toolbar-actions" }, this.conflictsButton, this.refreshButton),
      ),
      h(
        "div",
        { class: "items-controls" },
        h(
          "div",
          { class: "control" },
          h("label", { for: "items-calendar" }, "Calendar"),
          this.calendarSelect,
        ),
        h(
          "div",
          { class: "control" },
          h("label", { for: "items-from" }, "From"),
          this.fromInput,
        ),
        h(
          "div",
          { class: "control" },
          h("label", { for: "items-to" }, "To"),
          this.toInput,
        ),
        h(
          "div",
          { class: "control grow" },
          h("label", { for: "items-search" }, "Search"),
          this.searchInput,
        ),
      ),
      this.spanError,
      this.filterBar,
      this.progress.el,
      this.error,
      this.notice,
      this.list,
    );
    this.renderFilters(null);
  }

  focus(): void {
    this.title.focus();
  }

  /** How many conflicts wait for a decision (the Conflicts button says it). */
  setConflictCount(n: number): void {
    fill(this.conflictsButton, n > 0 ? `Conflicts (${n})` : "Conflicts");
    this.conflictsButton.dataset.count = String(n);
  }

  /** The calendars to choose from; `selected`: the owner's address, null for your own. */
  setCalendars(calendars: SyncedCalendar[], selected: string | null): void {
    this.calendars = calendars;
    fill(
      this.calendarSelect,
      ...calendars.map((c) =>
        h(
          "option",
          { value: c.owner ?? "", selected: (c.owner ?? "") === (selected ?? "") },
          c.owner === null ? `Your calendar (${c.address})` : `${c.ownerName} (${c.address})`,
        ),
      ),
    );
  }

  calendar(): SyncedCalendar | null {
    const value = this.calendarSelect.value;
    return this.calendars.find((c) => (c.owner ?? "") === value) ?? null;
  }

  setSpan(span: Span): void {
    this.fromInput.value = span.from;
    this.toInput.value = span.to;
    this.spanError.hidden = true;
  }

  /** The span chosen, or null (and why, on screen) when it is not one. */
  span(): Span | null {
    const from = this.fromInput.value;
    const to = this.toInput.value;
    const problem = !from || !to ? "Choose the first and the last day." : to < from ? "The last day is before the first." : null;
    this.spanError.hidden = problem === null;
    fill(this.spanError, problem ?? "");
    return problem === null ? { from, to } : null;
  }

  /** The items read, or null while none are (the list is cleared). */
  setItems(items: ItemView[] | null, ctx: RowContext | null): void {
    this.items = items;
    this.rowContext = ctx;
    this.render();
  }

  /** One item changed (shared, unshared): its row is drawn again. */
  updateItem(item: ItemView): void {
    if (!this.items) return;
    this.items = this.items.map((i) => (i.id === item.id ? item : i));
    this.render();
  }

  setBusy(text: string | null): void {
    this.progress.set(text);
    this.el.setAttribute("aria-busy", String(text !== null));
    this.refreshButton.disabled = text !== null;
    this.calendarSelect.disabled = text !== null;
  }

  setNotice(text: string | null): void {
    showNotice(this.notice, text);
  }


  setError(error: ServiceError | null): void {
    showError(this.error, error, this.handlers, "Dismiss", { openSettings: "items-open-settings", signInAgain: "items-sign-in-again" });
  }


  // ------------------------------------------------------------------ rendering

  private render(): void {
    const items = this.items;
    const ctx = this.rowContext;
    if (items === null || ctx === null) {
      this.renderFilters(null);
      fill(this.summary);
      fill(this.list);
      return;
    }
    this.searched = this.searchInput.value;
    const searched = items.filter((i) => matchesSearch(i, this.searched));
    this.renderFilters(filterCounts(searched));
    const shown = searched.filter((i) => matchesFilter(i, this.filter));
    fill(
      this.summary,
      shown.length === items.length
        ? `${items.length} item${items.length === 1 ? "" : "s"}`
        : `${shown.length} of ${items.length} items`,
    );
    if (shown.length === 0) {
      fill(
        this.list,
        h(
          "p",
          { class: "empty", id: "items-empty" },
          items.length === 0 ? "No items in these days." : "No item matches the search and filter.",
        ),
      );
      return;
    }
    const days = groupByDay(shown, (i) => dayOf(i));
    fill(
      this.list,
      ...days.map(({ day, items: dayItems }) =>
        h(
          "section",
          { class: "item-day", "data-day": day, "aria-label": dayHeading(day) },
          h("h2", { class: "day-title" }, dayHeading(day)),
          h("ul", { class: "item-list" }, ...dayItems.map((i) => itemRow(i, ctx, this.handlers))),
        ),
      ),
    );
  }

  private renderFilters(counts: Record<ItemFilter, number> | null): void {
    const hadFocus = this.filterBar.contains(document.activeElement);
    fill(
      this.filterBar,
      ...FILTERS.map((f) =>
        h(
          "button",
          {
            type: "button",
            class: "segment",
            "data-filter": f,
            "aria-pressed": String(f === this.filter),
            onclick: () => {
              this.filter = f;
              this.render();
            },
          },
          FILTER_LABELS[f],
          counts ? h("span", { class: "count" }, String(counts[f])) : null,
        ),
      ),
    );
    if (hadFocus) this.filterBar.querySelector<HTMLElement>(`[data-filter="${this.filter}"]`)?.focus();
  }
}
