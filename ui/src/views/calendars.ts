// The calendars screen: add an owner, refresh, check setup, notices and errors, and one card
// per calendar.

import { fill, h } from "../dom";
import type { CalendarEntry, DoctorReport, ServiceError } from "../ipc";
import { calendarCard } from "./calendar-card";
import { doctorList } from "./doctor";
import { refreshTimes, since } from "./since";
import { ProgressLine } from "./progress";

export interface CalendarsHandlers {
  onRefresh: () => void;
  onAddOwner: (address: string) => void;
  onRemoveOwner: (address: string) => void;
  onOpenItems: (owner: string | null) => void;
  onCheckSetup: () => void;
  onSignInAgain: () => void;
}

export class CalendarsView {
  readonly el: HTMLElement;
  private readonly addressInput: HTMLInputElement;
  private readonly addButton: HTMLButtonElement;
  private readonly addError: HTMLElement;
  private readonly refreshButton: HTMLButtonElement;
  private readonly doctorButton: HTMLButtonElement;
  private readonly refreshedAt: HTMLElement;
  private readonly progress: ProgressLine;
  private readonly notices: HTMLElement;
  private readonly error: HTMLElement;
  private readonly doctor: HTMLElement;
  private readonly doctorBody: HTMLElement;
  private readonly list: HTMLElement;
  private calendars: CalendarEntry[] = [];
  private managedOwners: ReadonlySet<string> = new Set();
  private lastRefresh: string | null = null;

  constructor(private readonly handlers: CalendarsHandlers) {
    this.addressInput = h("input", {
      id: "owner-address",
      type: "email",
      name: "address",
      required: true,
      autocomplete: "email",
      spellcheck: "false",
      placeholder: "owner@company.com",
      "aria-describedby": "add-owner-help",
    });
    this.addButton = h("button", { id: "add-owner", type: "submit", class: "primary" }, "Add owner");
    this.addError = h("p", { id: "add-owner-error", class: "error-text", role: "alert", hidden: true });
    const form = h(
      "form",
      { id: "add-owner-form", class: "add-owner", novalidate: true },
      h("label", { for: "owner-address" }, "Add owner by address"),
      h("div", { class: "field-row" }, this.addressInput, this.addButton),
      h(
        "p",
        { id: "add-owner-help", class: "help" },
        "For a calendar you were given access to that does not show up below.",
      ),
      this.addError,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const address = this.addressInput.value.trim();
      if (!address) {
        this.setAddOwnerError("Type the owner's email address, for example olivia.grant@contoso.com.");
        this.addressInput.focus();
        return;
      }
      handlers.onAddOwner(address);
    });

    this.refreshButton = h(
      "button",
      { id: "refresh", type: "button", onclick: handlers.onRefresh },
      "Refresh",
    );
    this.doctorButton = h(
      "button",
      { id: "check-setup", type: "button", onclick: handlers.onCheckSetup },
      "Check setup",
    );
    this.refreshedAt = h("span", { id: "refreshed-at", class: "muted" });
    this.progress = new ProgressLine("progress");
    this.notices = h("section", { id: "notices", class: "banner notice", role: "status", hidden: true });
    this.error = h("section", { id: "error", class: "banner error", role: "alert", hidden: true });
    this.doctorBody = h("div", { id: "doctor-body" });
    this.doctor = h(
      "section",
      { id: "doctor", class: "panel", "aria-labelledby": "doctor-title", hidden: true },
      h(
        "div",
        { class: "panel-head" },
        h("h2", { id: "doctor-title" }, "Check setup"),
        h(
          "button",
          { id: "close-doctor", type: "button", class: "quiet", onclick: () => this.hideDoctor() },
          "Hide",
        ),
      ),
      this.doctorBody,
    );
    this.list = h("div", { id: "calendars", class: "calendar-grid", "aria-live": "polite" });

    this.el = h(
      "section",
      { id: "calendars-screen", class: "calendars-screen", "aria-labelledby": "calendars-title" },
      h(
        "div",
        { class: "toolbar" },
        h(
          "div",
          { class: "toolbar-title" },
          h("h1", { id: "calendars-title" }, "Calendars you can reach"),
          this.refreshedAt,
        ),
        h("div", { class: "toolbar-actions" }, this.refreshButton, this.doctorButton),
      ),
      this.progress.el,
      this.error,
      this.notices,
      form,
      this.doctor,
      this.list,
    );
  }

  setCalendars(calendars: CalendarEntry[], refreshedAt: string | null): void {
    this.calendars = calendars;
    this.lastRefresh = refreshedAt ?? this.lastRefresh;
    this.renderList();
  }

  /** Keep the relative times ("5 minutes ago") true, without rebuilding the cards. */
  tick(): void {
    refreshTimes(this.el);
  }

  /** The owners the administrator has the user watch (no Remove button for them). */
  setManagedOwners(owners: string[]): void {
    this.managedOwners = new Set(owners.map((o) => o.toLowerCase()));
    this.renderList();
  }

  setBusy(text: string | null): void {
    this.progress.set(text);
    this.el.setAttribute("aria-busy", String(text !== null));
    this.refreshButton.disabled = text !== null;
    this.addButton.disabled = text !== null;
    this.doctorButton.disabled = text !== null;
  }

  setNotices(notices: string[]): void {
    this.notices.hidden = notices.length === 0;
    fill(
      this.notices,
      h("h2", { class: "visually-hidden" }, "What changed"),
      h("ul", {}, ...notices.map((n) => h("li", { class: "notice-item" }, n))),
      h(
        "button",
        { id: "dismiss-notices", type: "button", class: "quiet", onclick: () => this.setNotices([]) },
        "Dismiss",
      ),
    );
  }

  setError(error: ServiceError | null): void {
    this.error.hidden = error === null;
    if (error === null) {
      fill(this.error);
      return;
    }
    this.error.dataset.code = error.code;
    fill(
      this.error,
      h("p", { class: "error-message" }, error.message),
      error.code === "sign_in_required"
        ? h(
            "button",
            { id: "sign-in-again", type: "button", class: "primary", onclick: this.handlers.onSignInAgain },
            "Sign in again",
          )
        : null,
      h(
        "button",
        { id: "dismiss-error", type: "button", class: "quiet", onclick: () => this.setError(null) },
        "Dismiss",
      ),
    );
  }

  setAddOwnerError(message: string | null): void {
    this.addError.hidden = message === null;
    fill(this.addError, message ?? "");
    this.addressInput.setAttribute("aria-invalid", String(message !== null));
  }

  ownerAdded(): void {
    this.addressInput.value = "";
    this.setAddOwnerError(null);
  }

  showDoctor(report: DoctorReport): void {
    fill(this.doctorBody, doctorList(report));
    this.doctor.hidden = false;
    this.doctor.scrollIntoView({ block: "start" });
  }

  hideDoctor(): void {
    this.doctor.hidden = true;
    this.doctorButton.focus();
  }

  private renderList(): void {
    fill(this.refreshedAt, this.lastRefresh ? since(this.lastRefresh, "Updated {ago}") : "");
    if (this.calendars.length === 0) {
      fill(
        this.list,
        h(
          "p",
          { class: "empty" },
          "No calendars yet. Refresh, or add the owner of a calendar you were given access to.",
        ),
      );
      return;
    }
    fill(
      this.list,
      ...this.calendars.map((c) =>
        calendarCard(c, {
          onRemoveOwner: this.handlers.onRemoveOwner,
          onOpenItems: this.handlers.onOpenItems,
          managedOwners: this.managedOwners,
        }),
      ),
    );
  }
}
