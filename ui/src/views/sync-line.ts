// The sync status line under the header: on or off, running, when it last ran, shares waiting
// the problems (which open the Problems view) and the conflicts waiting for a decision (which
// open the Conflicts view), with Sync now and Pause (or Turn on / Resume).

import { fill, h } from "../dom";
import type { ServiceError, SyncStatus } from "../ipc";
import { count, syncCounts, syncHeadline, syncState, type SyncState } from "../share-format";
import { refreshTimes, since } from "./since";

export interface SyncLineHandlers {
  onSyncNow: () => void;
  onPause: () => void;
  /** Turn sync on: after a preview the first time, at once afterwards. */
  onTurnOn: () => void;
  onOpenSettings: () => void;
  onOpenConflicts: () => void;
  onOpenProblems: () => void;
}

/** What the line shows besides the status itself. */
export interface SyncLineExtra {
  /** A cycle was asked for and has not been seen to end. */
  requested: boolean;
  /** One of the line's own calls runs, in words. */
  working: string | null;
  /** One of the line's own calls failed. */
  error: ServiceError | null;
}

export class SyncLine {
  readonly el: HTMLElement;

  constructor(private readonly handlers: SyncLineHandlers) {
    this.el = h("section", { id: "sync-line", class: "syncline", "aria-label": "Sync", hidden: true });
  }

  set(status: SyncStatus | null, extra: SyncLineExtra): void {
    const hadFocus = this.el.contains(document.activeElement) ? (document.activeElement as HTMLElement).id : null;
    this.el.hidden = status === null;
    if (status === null) {
      fill(this.el);
      return;
    }
    if (status.not_granted) {
      // The user's profile leaves calendar sync out: nothing to turn on, and why.
      this.el.dataset.state = "not-granted";
      fill(
        this.el,
        h(
          "div",
          { class: "syncline-state" },
          h("span", { class: "dot dot-off", "aria-hidden": "true" }),
          h("strong", { id: "sync-headline", "data-field": "headline" }, "Sync is not available to you"),
        ),
        h("p", { id: "sync-not-granted", class: "syncline-note" }, status.not_granted),
      );
      return;
    }
    const state: SyncState = extra.requested && status.on && !status.loop.running ? "running" : syncState(status);
    this.el.dataset.state = state;
    const busy = extra.working !== null;
    const details: (HTMLElement | string)[] = [];
    if (state === "off") {
      details.push("Your changes are not carried to the CRM until you turn it on.");
    } else if (status.last_run) {
      details.push(since(status.last_run, "Last run {ago}", { "data-field": "last-run" }));
    } else {
      details.push(h("span", { "data-field": "last-run" }, "Has not run yet"));
    }
    for (const c of syncCounts(status)) details.push(c);
    if (status.problems > 0) {
      details.push(
        h(
          "button",
          { id: "sync-problems", type: "button", class: "linkish", "data-field": "problems", onclick: this.handlers.onOpenProblems },
          count(status.problems, "problem", "problems"),
        ),
      );
    }
    if (status.conflicts > 0) {
      details.push(
        h(
          "button",
          { id: "sync-conflicts", type: "button", class: "linkish", "data-field": "conflicts", onclick: this.handlers.onOpenConflicts },
          count(status.conflicts, "conflict", "conflicts"),
        ),
      );
    }
    const stopped = state === "stopped" ? status.loop.last_error : undefined;
    const failure = extra.error ?? stopped ?? null;

    fill(
      this.el,
      h(
        "div",
        { class: "syncline-state" },
        state === "running" || busy
          ? h("span", { class: "spinner", "aria-hidden": "true" })
          : h("span", { class: `dot dot-${state}`, "aria-hidden": "true" }),
        h("strong", { id: "sync-headline", "data-field": "headline" }, busy ? (extra.working ?? "") : syncHeadline(state)),
        ...joined(details),
      ),
      failure
        ? h("p", { id: "sync-error", class: "syncline-error", role: "alert", "data-code": failure.code }, failure.message)
        : null,
      h("div", { class: "syncline-actions" }, ...this.buttons(status, state, busy, failure)),
    );
    if (hadFocus) document.getElementById(hadFocus)?.focus();
  }

  private buttons(status: SyncStatus, state: SyncState, busy: boolean, failure: ServiceError | null): HTMLElement[] {
    const button = (id: string, label: string, onclick: () => void, cls = "") =>
      h("button", { id, type: "button", class: cls || null, disabled: busy, onclick }, label);
    const out: HTMLElement[] = [];
    if (failure?.code === "crm_sign_in_required") out.push(button("sync-open-settings", "Open Settings", this.handlers.onOpenSettings));
    switch (state) {
      case "off":
        out.push(
          button("sync-turn-on", status.last_run ? "Resume sync" : "Turn on sync…", this.handlers.onTurnOn, "primary"),
        );
        break;
      case "running":
        out.push(h("button", { id: "sync-now", type: "button", disabled: true }, "Sync now"));
        out.push(button("sync-pause", "Pause", this.handlers.onPause, "quiet"));
        break;
      case "on":
      case "stopped":
        out.push(button("sync-now", "Sync now", this.handlers.onSyncNow));
        out.push(button("sync-pause", "Pause", this.handlers.onPause, "quiet"));
        break;
    }
    return out;
  }

  /** Keep "last run 5 minutes ago" true. */
  tick(): void {
    refreshTimes(this.el);
  }
}

function joined(parts: (HTMLElement | string)[]): (HTMLElement | string)[] {
  const out: (HTMLElement | string)[] = [];
  for (const p of parts) {
    out.push(h("span", { class: "syncline-sep", "aria-hidden": "true" }, "·"));
    out.push(typeof p === "string" ? h("span", {}, p) : p);
  }
  return out;
}
