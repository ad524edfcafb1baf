// The Settings screen: its CRM section and, below it, the sync's (`sync-settings.ts`). Signed
// out of the CRM it offers "Sign in to Salesforce" (or says that no CRM is configured), waits for
// the browser with a Cancel, and signed in shows who you are there, the org's API allowance
// left, and "Sign out of Salesforce".

import { fill, h } from "../dom";
import { ALLOWANCE_LOW, allowanceLeft, allowanceText } from "../format";
import type { CrmAccountView, CrmState, ServiceError } from "../ipc";
import { refreshTimes, since } from "./since";
import { ProgressLine } from "./progress";

export interface SettingsHandlers {
  onBack: () => void;
  onCrmSignIn: () => void;
  onCrmCancel: () => void;
  onCrmRefresh: () => void;
  onCrmSignOut: () => void;
  onSignInAgain: () => void;
}

/** What the CRM section shows. */
type Crm =
  | { kind: "loading" }
  | { kind: "not_configured" }
  | { kind: "signed_out" }
  | { kind: "waiting" }
  | { kind: "signed_in"; account: CrmAccountView; allowance: "checking" | "unread" | "read"; readAt?: string };

export class SettingsView {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly progress: ProgressLine;
  private readonly error: HTMLElement;
  private readonly crmBody: HTMLElement;
  private readonly leftBehind: HTMLElement;
  private crm: Crm = { kind: "loading" };
  private configured = true;
  /** One of this screen's own calls runs: its buttons wait for it. */
  private working = false;

  constructor(
    private readonly sandbox: boolean,
    /** The Microsoft 365 address the CRM sign-in is kept for. */
    private readonly owner: string,
    private readonly handlers: SettingsHandlers,
  ) {
    this.title = h("h1", { id: "settings-title", tabindex: "-1" }, "Settings");
    this.progress = new ProgressLine("settings-progress");
    this.error = h("section", { id: "settings-error", class: "banner error", role: "alert", hidden: true });
    this.leftBehind = h("p", { id: "crm-left-behind", class: "problem", role: "note", hidden: true });
    this.crmBody = h("div", { id: "crm-body", class: "crm-body", "aria-live": "polite" });
    this.el = h(
      "section",
      { id: "settings-screen", class: "settings-screen", "aria-labelledby": "settings-title" },
      h(
        "div",
        { class: "toolbar" },
        h(
          "div",
          { class: "toolbar-title" },
          h(
            "button",
            {
              id: "settings-back",
              type: "button",
              class: "quiet back",
              title: "Back to the calendars (Escape)",
              "aria-keyshortcuts": "Escape",
              onclick: handlers.onBack,
            },
            h("span", { "aria-hidden": "true" }, "← "),
            "Calendars",
          ),
          this.title,
        ),
      ),
      this.progress.el,
      this.error,
      h(
        "section",
        { id: "crm-section", class: "panel settings-panel", "aria-labelledby": "crm-title" },
        h(
          "div",
          { class: "panel-head" },
          h(
            "div",
            { class: "panel-title" },
            h("h2", { id: "crm-title" }, "CRM"),
            h("p", { class: "muted" }, "Your company's Salesforce. Onbehalf works there as you, with your own Salesforce user."),
          ),
        ),
        this.leftBehind,
        this.crmBody,
      ),
    );
    this.render();
  }

  /** What the Rust side keeps: whether a CRM is configured, and the account signed in. */
  setCrmState(state: CrmState): void {
    this.configured = state.configured;
    if (!state.configured) this.show({ kind: "not_configured" });
    else if (state.account) this.show({ kind: "signed_in", account: state.account, allowance: "checking" });
    else this.show({ kind: "signed_out" });
  }

  /** Signed in (or asked again): who you are, with the allowance when it was read. */
  setCrmAccount(account: CrmAccountView): void {
    this.leftBehind.hidden = true;
    this.show(
      account.budget
        ? { kind: "signed_in", account, allowance: "read", readAt: new Date().toISOString() }
        : { kind: "signed_in", account, allowance: "unread" },
    );
  }

  /** The allowance is being asked of the CRM. */
  setChecking(): void {
    if (this.crm.kind === "signed_in") this.show({ ...this.crm, allowance: "checking" });
  }

  /** Signed out of the CRM; `leftBehind` says what could not be removed. */
  setSignedOut(leftBehind: string | null): void {
    this.show(this.configured ? { kind: "signed_out" } : { kind: "not_configured" });
    this.leftBehind.hidden = leftBehind === null;
    fill(this.leftBehind, leftBehind ?? "");
  }

  isWaiting(): boolean {
    return this.crm.kind === "waiting";
  }

  setWaiting(waiting: boolean): void {
    if (waiting) {
      this.setError(null);
      this.leftBehind.hidden = true;
      this.show({ kind: "waiting" });
    } else if (this.crm.kind === "waiting") {
      this.show({ kind: "signed_out" });
    }
  }

  /** `text`: what the app is doing, in words. `own`: it is this screen's call, so wait for it. */
  setBusy(text: string | null, own: boolean): void {
    this.progress.set(text);
    this.el.setAttribute("aria-busy", String(text !== null));
    this.working = own;
    this.applyWorking();
  }

  /**
   * The error in words. Needing a CRM sign-in leads back to the sign-in button; a failed
   * question to the CRM leaves who you are shown, with the allowance unread.
   */
  setError(error: ServiceError | null): void {
    this.error.hidden = error === null;
    if (error === null) {
      fill(this.error);
      return;
    }
    this.error.dataset.code = error.code;
    if (error.code === "crm_sign_in_required" && this.configured) {
      this.show({ kind: "signed_out" });
    } else if (this.crm.kind === "signed_in" && this.crm.allowance === "checking") {
      this.show({ ...this.crm, allowance: "unread" });
    } else if (this.crm.kind === "loading" || this.crm.kind === "waiting") {
      this.show({ kind: "signed_out" });
    }
    fill(
      this.error,
      h("p", { class: "error-message" }, error.message),
      error.code === "sign_in_required"
        ? h(
            "button",
            { id: "settings-sign-in-again", type: "button", class: "primary", onclick: this.handlers.onSignInAgain },
            "Sign in again",
          )
        : null,
      h(
        "button",
        { id: "dismiss-settings-error", type: "button", class: "quiet", onclick: () => this.setError(null) },
        "Dismiss",
      ),
    );
  }

  focus(): void {
    this.title.focus();
  }

  /** Add a section below the CRM's. */
  appendSection(section: HTMLElement): void {
    this.el.append(section);
  }

  /** Keep "checked 5 minutes ago" true. */
  tick(): void {
    refreshTimes(this.el);
  }

  // ------------------------------------------------------------------ rendering

  private show(crm: Crm): void {
    const hadFocus = this.crmBody.contains(document.activeElement);
    this.crm = crm;
    this.render();
    // The control that had the focus is gone: give it to what this state offers first.
    if (hadFocus) this.crmBody.querySelector<HTMLElement>("button:not(:disabled)")?.focus();
  }

  private render(): void {
    const crm = this.crm;
    this.crmBody.dataset.state = crm.kind;
    switch (crm.kind) {
      case "loading":
        fill(this.crmBody, h("p", { class: "muted" }, "Reading your CRM sign-in…"));
        break;
      case "not_configured":
        fill(
          this.crmBody,
          h(
            "p",
            { id: "crm-not-configured", class: "empty-note" },
            "Your administrator has not configured a CRM for Onbehalf, so there is nothing to sign in to here.",
          ),
        );
        break;
      case "signed_out":
        fill(this.crmBody, ...this.signedOut());
        break;
      case "waiting":
        fill(this.crmBody, ...this.waiting());
        break;
      case "signed_in":
        fill(this.crmBody, ...this.signedIn(crm.account, crm.allowance, crm.readAt));
        break;
    }
    this.applyWorking();
  }

  private signedOut(): HTMLElement[] {
    return [
      h(
        "p",
        {},
        "Sign in to Salesforce to see which org and user you are there, and how much of the org's API allowance is left today.",
      ),
      h(
        "p",
        { class: "help" },
        `The sign-in is kept on this computer for ${this.owner}, the Microsoft 365 account signed in here.`,
      ),
      h(
        "div",
        { class: "crm-actions" },
        h("button", { id: "crm-sign-in", type: "button", class: "primary", onclick: this.handlers.onCrmSignIn }, "Sign in to Salesforce"),
      ),
    ];
  }

  private waiting(): HTMLElement[] {
    return [
      h(
        "div",
        { id: "crm-sign-in-progress", class: "progress", role: "status" },
        h("span", { class: "spinner", "aria-hidden": "true" }),
        h(
          "span",
          {},
          this.sandbox
            ? "Signing in to the sandbox's Salesforce in its sign-in window. Onbehalf is waiting for it…"
            : "Finish signing in to Salesforce in your browser. Onbehalf is waiting for it…",
        ),
        h("button", { id: "cancel-crm-sign-in", type: "button", class: "quiet", onclick: this.handlers.onCrmCancel }, "Cancel"),
      ),
    ];
  }

  private signedIn(
    account: CrmAccountView,
    allowance: "checking" | "unread" | "read",
    readAt: string | undefined,
  ): HTMLElement[] {
    return [
      h(
        "div",
        {
          id: "crm-account",
          class: "crm-account",
          "data-org-id": account.org_id,
          "data-user-id": account.user_id,
        },
        h(
          "header",
          { class: "calendar-head" },
          h(
            "div",
            { class: "who" },
            h("h3", { class: "owner-name", "data-field": "name" }, account.name),
            h("span", { class: "owner-address", "data-field": "email" }, account.email),
          ),
          h("span", { class: "chip status-chip status-pass" }, "Signed in to Salesforce"),
        ),
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Org id"),
          h("dd", {}, h("code", { "data-field": "org-id" }, account.org_id)),
          h("dt", {}, "User id"),
          h("dd", {}, h("code", { "data-field": "user-id" }, account.user_id)),
          h("dt", {}, "Instance"),
          h("dd", {}, h("code", { "data-field": "instance" }, account.instance_url)),
        ),
      ),
      this.allowance(account, allowance, readAt),
      h(
        "div",
        { class: "crm-actions" },
        h("button", { id: "crm-sign-out", type: "button", onclick: this.handlers.onCrmSignOut }, "Sign out of Salesforce"),
      ),
    ];
  }

  private allowance(
    account: CrmAccountView,
    state: "checking" | "unread" | "read",
    readAt: string | undefined,
  ): HTMLElement {
    const budget = state === "read" ? account.budget : undefined;
    let body: HTMLElement[];
    if (budget) {
      const left = allowanceLeft(budget);
      const fill = h("div", { class: "meter-fill" });
      // Set through the CSSOM: the window's content security policy allows no inline styles.
      fill.style.width = `${(left * 100).toFixed(1)}%`;
      body = [
        h(
          "div",
          {
            class: left < ALLOWANCE_LOW ? "meter low" : "meter",
            role: "meter",
            "aria-label": "API allowance left",
            "aria-valuemin": 0,
            "aria-valuemax": Number(budget.max),
            "aria-valuenow": Number(budget.remaining),
          },
          fill,
        ),
        h("p", { class: "allowance-text", "data-field": "allowance" }, allowanceText(budget)),
      ];
    } else if (state === "checking") {
      body = [h("p", { class: "muted", "data-field": "allowance" }, "Checking…")];
    } else {
      body = [h("p", { class: "muted", "data-field": "allowance" }, "Could not be read just now.")];
    }
    return h(
      "section",
      { id: "crm-allowance", class: "allowance", "data-state": budget ? "read" : state, "aria-labelledby": "allowance-title" },
      h(
        "div",
        { class: "section-head" },
        h("h4", { id: "allowance-title", class: "section-title" }, "API allowance left today"),
        h(
          "div",
          { class: "allowance-actions" },
          budget && readAt ? since(readAt, "Checked {ago}", { class: "muted small" }) : null,
          h(
            "button",
            { id: "crm-refresh", type: "button", class: "quiet", onclick: this.handlers.onCrmRefresh },
            "Refresh",
          ),
        ),
      ),
      ...body,
      h(
        "p",
        { class: "help" },
        "Every app connected to the org draws on the same daily allowance; Onbehalf leaves a share of it for the others.",
      ),
    );
  }

  private applyWorking(): void {
    const waitingOnCrm = this.crm.kind === "signed_in" && this.crm.allowance === "checking";
    for (const button of this.crmBody.querySelectorAll<HTMLButtonElement>("button")) {
      if (button.id === "cancel-crm-sign-in") continue;
      button.disabled = this.working || (waitingOnCrm && button.id === "crm-refresh");
    }
  }
}
