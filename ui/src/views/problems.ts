// The Problems view: each open problem of the sync with what it is about, what happened and
// what fixes it, who can fix it, when it was first and last seen, and its actions: the screen
// that fixes it (where one does), Retry now, Open in Outlook, the item's calendar, Dismiss.

import { fill, h } from "../dom";
import { showError, showNotice } from "./banner";
import type { ProblemEntry, ServiceError } from "../ipc";
import { fixScreen, problemContext, problemHeading, problemsSummary, type FixScreen } from "../problem-format";
import { since } from "./since";
import { ProgressLine } from "./progress";

export interface ProblemsHandlers {
  onRefresh: () => void;
  onRetry: () => void;
  onDismiss: (problem: ProblemEntry) => void;
  onOpenInOutlook: (problem: ProblemEntry) => void;
  onOpenItems: (calendar: string) => void;
  onFix: (screen: FixScreen) => void;
  onSignInAgain: () => void;
  onOpenSettings: () => void;
}

const FIX_LABELS: Record<FixScreen, string> = {
  sign_in_again: "Sign in again",
  crm_settings: "Open Settings",
  conflicts: "Open Conflicts",
};

export class ProblemsScreenView {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly refreshButton: HTMLButtonElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly progress: ProgressLine;
  private readonly error: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly list: HTMLElement;
  private problems: ProblemEntry[] | null = null;

  constructor(private readonly handlers: ProblemsHandlers) {
    this.title = h("h1", { id: "problems-title", tabindex: "-1" }, "Problems");
    this.summary = h("p", { id: "problems-summary", class: "muted", "aria-live": "polite" });
    this.refreshButton = h("button", { id: "problems-refresh", type: "button", class: "quiet", onclick: () => handlers.onRefresh() }, "Refresh");
    this.retryButton = h("button", { id: "problems-retry", type: "button", onclick: () => handlers.onRetry() }, "Retry now");
    this.progress = new ProgressLine("problems-progress");
    this.error = h("section", { id: "problems-error", class: "banner error", role: "alert", hidden: true });
    this.notice = h("section", { id: "problems-notice", class: "banner notice", role: "status", hidden: true });
    this.list = h("div", { id: "problems", class: "problem-list" });
    this.el = h(
      "section",
      { id: "problems-screen", class: "problems-screen", "aria-labelledby": "problems-title" },
      h(
        "div",
        { class: "toolbar" },
        h("div", { class: "toolbar-title" }, this.title, this.summary),
        h("div", { class: "toolbar-actions" }, this.refreshButton, this.retryButton),
      ),
      h(
        "p",
        { class: "help" },
        "What keeps the sync from carrying an item or your account to the CRM, and what fixes it. " +
          "Each problem goes away by itself once its cause is gone. Dismiss one to stop hearing of it until something about it changes.",
      ),
      this.progress.el,
      this.error,
      this.notice,
      this.list,
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

  /** What was read, or null while nothing is. */
  setProblems(problems: ProblemEntry[] | null): void {
    this.problems = problems;
    this.render();
  }

  setNotice(text: string | null): void {
    showNotice(this.notice, text, "Close", { text: "problems-notice-text" });
  }


  setError(error: ServiceError | null): void {
    showError(this.error, error, this.handlers, "Close");
  }


  /** Bring the problem about this item (or, without one, the first problem) into view and
   * give it the focus. */
  reveal(item: { owner: string; id: string } | null): void {
    const entries = [...this.list.querySelectorAll<HTMLElement>(".problem-entry")];
    const found =
      (item &&
        entries.find(
          (e) => e.dataset.itemId === item.id && (e.dataset.calendar ?? "").toLowerCase() === item.owner.toLowerCase(),
        )) ??
      entries[0];
    const head = found?.querySelector<HTMLElement>("h3");
    if (!found || !head) {
      this.focus();
      return;
    }
    for (const e of entries) e.classList.toggle("highlight", e === found);
    found.scrollIntoView({ block: "center" });
    head.focus();
  }

  /** Where the focus goes once the problem at `index` is gone: the one that took its place,
   * or the last one, or the title when none is left. */
  elementAfter(index: number): HTMLElement {
    const heads = this.list.querySelectorAll<HTMLElement>("h3");
    return heads[Math.min(index, heads.length - 1)] ?? this.title;
  }

  private render(): void {
    const problems = this.problems;
    if (problems === null) {
      fill(this.summary);
      fill(this.list);
      return;
    }
    fill(this.summary, problemsSummary(problems.length));
    fill(
      this.list,
      ...(problems.length === 0
        ? [h("p", { class: "empty", id: "problems-empty" }, "No problems: everything shared is in the CRM or on its way.")]
        : problems.map((p) => this.entry(p))),
    );
  }

  private entry(p: ProblemEntry): HTMLElement {
    const titleId = `problem-${p.id}`;
    const heading = problemHeading(p);
    const context = problemContext(p);
    const fix = fixScreen(p);
    const actions: HTMLElement[] = [];
    const button = (label: string, onclick: () => void, attrs: Record<string, string> = {}, cls: string | null = null) =>
      h("button", { type: "button", class: cls, "aria-describedby": titleId, onclick, ...attrs }, label);
    if (fix) actions.push(button(FIX_LABELS[fix], () => this.handlers.onFix(fix), { "data-action": "fix" }, "primary"));
    actions.push(button("Retry now", () => this.handlers.onRetry(), { "data-action": "retry" }));
    if (p.item?.web_link) {
      actions.push(button("Open in Outlook", () => this.handlers.onOpenInOutlook(p), { "data-action": "outlook" }));
    }
    const item = p.item;
    if (item) {
      actions.push(button("Show in Items", () => this.handlers.onOpenItems(item.calendar), { "data-action": "items" }));
    }
    actions.push(button("Dismiss", () => this.handlers.onDismiss(p), { "data-action": "dismiss" }, "quiet"));
    return h(
      "article",
      {
        class: "problem-entry",
        "data-problem-id": p.id,
        "data-cause": p.cause,
        "data-kind": p.kind,
        "data-item-id": p.item?.id ?? null,
        "data-calendar": p.item?.calendar ?? null,
        "aria-labelledby": titleId,
      },
      h("h3", { id: titleId, tabindex: "-1" }, heading),
      context ? h("p", { class: "problem-context muted", "data-field": "context" }, context) : null,
      h("p", { class: "problem-message", "data-field": "message" }, p.message),
      h("p", { class: "problem-who", "data-field": "who" }, h("span", { class: "muted" }, "Who can fix it: "), p.who_can_fix),
      h(
        "p",
        { class: "problem-times muted", "data-field": "times" },
        since(p.first_seen, "First seen {ago}"),
        " · ",
        since(p.last_seen, "last seen {ago}"),
      ),
      h("div", { class: "problem-actions" }, ...actions),
    );
  }
}
