// The app's controller: which screen shows, what the Rust side is asked, and where its answers
// and errors go. The Items, Conflicts, Problems, Time slots and Settings screens and the sync
// status line have controllers of their own (`items-screen.ts`, `conflicts-screen.ts`,
// `problems-screen.ts`, `slots-screen.ts`, `settings-screen.ts`, `sync-control.ts`).

import logoUrl from "../../icons/128x128.png";
import { ConflictsScreen } from "./conflicts-screen";
import { byId, fill, h } from "./dom";
import {
  asServiceError,
  ipc,
  onEvent,
  type AccountView,
  type CalendarEntry,
  type Opens,
  type Refreshed,
  type ServiceError,
} from "./ipc";
import { ItemsScreen } from "./items-screen";
import type { FixScreen } from "./problem-format";
import { ProblemsScreen } from "./problems-screen";
import { SettingsScreen } from "./settings-screen";
import { SlotsScreen } from "./slots-screen";
import { SyncControl } from "./sync-control";
import { syncedCalendars } from "./synced-calendars";
import { CalendarsView } from "./views/calendars";
import { SignInView } from "./views/signin";

const MINUTE = 60_000;

export class App {
  private sandbox = false;
  private account: AccountView | null = null;
  private signIn: SignInView | null = null;
  private calendars: CalendarsView | null = null;
  /** Kept while signed in, so a CRM sign-in waiting for the browser survives going back. */
  private settings: SettingsScreen | null = null;
  /** Kept while signed in, so coming back finds the calendar, days and search as they were. */
  private items: ItemsScreen | null = null;
  /** Kept while signed in, like the Items screen. */
  private conflicts: ConflictsScreen | null = null;
  /** Kept while signed in, like the Conflicts screen. */
  private problems: ProblemsScreen | null = null;
  /** Kept while signed in, so the times found and the message survive going to another screen. */
  private slots: SlotsScreen | null = null;
  /** Conflicts waiting for a decision, as the sync status last said. */
  private conflictCount = 0;
  /** The sync status line; exists while signed in. */
  private sync: SyncControl | null = null;
  /** The calendars of the last refresh. */
  private calendarList: CalendarEntry[] = [];
  private screen: "signin" | "calendars" | "items" | "conflicts" | "problems" | "slots" | "settings" = "signin";
  /** What this window is waiting for, in words; null when idle. */
  private task: string | null = null;
  /** Whether the app reports work this window did not start (the tray's refresh). */
  private appBusy = false;
  /** Calls of the Items screen and the sync line under way: the app's busy state is theirs. */
  private ownCalls = 0;

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    await Promise.all([
      onEvent("busy", (busy) => {
        this.appBusy = busy;
        this.showBusy();
      }),
      onEvent("calendars-updated", (refreshed) => this.applyRefresh(refreshed)),
      onEvent("refresh-failed", (error) => this.showError(error)),
      onEvent("sync-status", (status) => this.sync?.apply(status)),
      onEvent("open", (target) => this.openAt(target)),
    ]);
    setInterval(() => {
      this.calendars?.tick();
      this.settings?.view.tick();
      this.sync?.tick();
    }, MINUTE);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.screen === "settings" && !e.defaultPrevented) {
        e.preventDefault();
        this.showCalendars();
      }
    });
    try {
      const state = await ipc.appState();
      this.sandbox = state.sandbox;
      this.account = state.account;
      if (state.account) {
        this.signedIn();
        this.showCalendars();
        this.calendarList = state.calendars;
        this.calendars?.setCalendars(state.calendars, null);
        void this.refresh();
        // Made to show something (a click on a notification, the tray's Problems).
        if (state.open) this.openAt(state.open);
      } else {
        this.showSignIn();
      }
    } catch (e) {
      this.showSignIn();
      this.signIn?.setError(asServiceError(e));
    } finally {
      this.root.setAttribute("aria-busy", "false");
    }
  }

  // ------------------------------------------------------------------ screens

  private frame(main: HTMLElement): void {
    const badge = this.sandbox
      ? h("span", { id: "sandbox-badge", class: "badge", title: "Onbehalf is running on its built-in demo organisation" }, "Sandbox: demo organisation")
      : null;
    const account = this.account
      ? h(
          "div",
          { id: "account", class: "account", "data-address": this.account.address },
          h(
            "div",
            { class: "account-text", title: this.account.address },
            h("span", { class: "account-name" }, this.account.display_name),
            h("span", { class: "account-address" }, this.account.address),
          ),
          h(
            "button",
            {
              id: "open-settings",
              type: "button",
              "aria-current": this.screen === "settings" ? "page" : null,
              onclick: () => this.showSettings(),
            },
            "Settings",
          ),
          h("button", { id: "sign-out", type: "button", onclick: () => void this.signOut() }, "Sign out"),
        )
      : null;
    const tab = (id: string, label: string, screen: "calendars" | "items" | "problems" | "slots", go: () => void) =>
      h("button", { id, type: "button", class: "tab", "aria-current": this.screen === screen ? "page" : null, onclick: go }, label);
    const nav = this.account
      ? h(
          "nav",
          { class: "tabs", "aria-label": "Screens" },
          tab("nav-calendars", "Calendars", "calendars", () => this.showCalendars()),
          tab("nav-items", "Items", "items", () => this.showItems(undefined)),
          tab("nav-problems", "Problems", "problems", () => this.showProblems(undefined)),
          tab("nav-slots", "Time slots", "slots", () => this.showSlots()),
        )
      : null;
    fill(
      this.root,
      h(
        "header",
        { class: "appbar" },
        h("div", { class: "brand" }, h("img", { src: logoUrl, alt: "", width: 28, height: 28 }), h("span", {}, "Onbehalf")),
        badge,
        nav,
        h("div", { class: "spacer" }),
        account,
      ),
      this.sync ? this.sync.line.el : null,
      h("div", { class: "scroller" }, h("main", { id: "main" }, main)),
    );
  }

  private showSignIn(): void {
    this.screen = "signin";
    this.calendars = null;
    this.settings = null;
    this.items = null;
    this.conflicts = null;
    this.problems = null;
    this.slots = null;
    this.sync?.clear();
    this.sync = null;
    this.signIn = new SignInView(this.sandbox, {
      onSignIn: () => void this.doSignIn(),
      onCancel: () => void ipc.cancelSignIn(),
    });
    this.frame(this.signIn.el);
    this.signIn.focus();
  }

  /** Signed in: the sync status line, read at once and then kept up to date by the app. */
  private signedIn(): void {
    this.sync = new SyncControl({
      track: (call) => this.track(call),
      onCycleEnded: () => {
        if (this.screen === "items") this.items?.refreshQuietly();
        if (this.screen === "conflicts") void this.conflicts?.load(true);
        if (this.screen === "problems") void this.problems?.load(true);
      },
      onOpenSettings: () => this.showSettings(),
      onOpenConflicts: () => this.showConflicts(),
      onOpenProblems: () => this.showProblems(undefined),
      onConflicts: (n) => {
        this.conflictCount = n;
        this.items?.view.setConflictCount(n);
      },
    });
    void this.sync.load();
  }

  /** The calendars screen; coming back from Settings finds it as it was left. */
  private showCalendars(): void {
    const returning = this.screen;
    this.screen = "calendars";
    this.signIn = null;
    this.calendars ??= new CalendarsView({
      onRefresh: () => void this.refresh(),
      onAddOwner: (address) => void this.addOwner(address),
      onRemoveOwner: (address) => void this.removeOwner(address),
      onOpenItems: (owner) => this.showItems(owner),
      onCheckSetup: () => void this.checkSetup(),
      onSignInAgain: () => void this.signInAgain(),
    });
    this.frame(this.calendars.el);
    this.showBusy();
    if (returning === "settings") document.getElementById("open-settings")?.focus();
    if (returning === "items") document.getElementById("nav-calendars")?.focus();
  }

  /** The Items screen of `owner`'s calendar (null: your own; undefined: the one shown last). */
  private showItems(owner: string | null | undefined): void {
    if (!this.account) return;
    this.screen = "items";
    this.signIn = null;
    this.items ??= new ItemsScreen(this.account, {
      track: (call) => this.track(call),
      onOpenSettings: () => this.showSettings(),
      onSignInAgain: () => void this.signInAgain(),
      onOpenConflicts: () => this.showConflicts(),
    });
    this.items.view.setConflictCount(this.conflictCount);
    this.items.setCalendars(this.calendarList);
    this.frame(this.items.view.el);
    this.showBusy();
    this.items.view.focus();
    void this.items.open(owner === undefined ? (this.items.view.calendar()?.owner ?? null) : owner);
  }

  /** The Conflicts screen, read afresh each time it is opened. */
  private showConflicts(): void {
    if (!this.account) return;
    this.screen = "conflicts";
    this.signIn = null;
    this.conflicts ??= new ConflictsScreen(this.account, {
      track: (call) => this.track(call),
      onOpenItems: () => this.showItems(undefined),
      onOpenSettings: () => this.showSettings(),
      onSignInAgain: () => void this.signInAgain(),
    });
    this.conflicts.setCalendars(this.calendarList);
    this.frame(this.conflicts.view.el);
    this.showBusy();
    this.conflicts.view.focus();
    void this.conflicts.load(false);
  }

  /** The Problems screen, read afresh each time it is opened; `item`: the problem to bring
   * into view (null: the first; undefined: none). */
  private showProblems(item: { owner: string; id: string } | null | undefined): void {
    if (!this.account) return;
    this.screen = "problems";
    this.signIn = null;
    this.problems ??= new ProblemsScreen({
      track: (call) => this.track(call),
      onRetry: () => void this.sync?.syncNow(),
      onOpenItems: (calendar) => this.showItems(calendar.toLowerCase() === this.account?.address.toLowerCase() ? null : calendar),
      onFix: (screen) => this.fix(screen),
      onOpenSettings: () => this.showSettings(),
      onSignInAgain: () => void this.signInAgain(),
    });
    this.frame(this.problems.view.el);
    this.showBusy();
    this.problems.view.focus();
    if (item !== undefined) this.problems.revealAfterLoad(item);
    void this.problems.load(false);
  }

  /** The Time slots screen, as it was left; its calendars are read again after a refresh. */
  private showSlots(): void {
    if (!this.account) return;
    this.screen = "slots";
    this.signIn = null;
    this.slots ??= new SlotsScreen({
      track: (call) => this.track(call),
      onOpenSettings: () => this.showSettings(),
      onSignInAgain: () => void this.signInAgain(),
    });
    this.frame(this.slots.view.el);
    this.showBusy();
    this.slots.view.focus();
    void this.slots.open();
  }

  /** Where a click on a notification or the tray's Problems item leads. */
  private openAt(target: Opens): void {
    if (!this.account) return;
    switch (target.to) {
      case "item":
        this.showProblems({ owner: target.owner, id: target.id });
        break;
      case "problems":
        this.showProblems(null);
        break;
      case "time_slots":
        this.showSlots();
        break;
    }
  }

  private fix(screen: FixScreen): void {
    switch (screen) {
      case "sign_in_again":
        void this.signInAgain();
        break;
      case "crm_settings":
        this.showSettings();
        break;
      case "conflicts":
        this.showConflicts();
        break;
    }
  }

  private showSettings(): void {
    if (!this.account || this.screen === "settings") return;
    this.screen = "settings";
    this.settings ??= new SettingsScreen(this.sandbox, this.account.address, {
      track: (call) => this.track(call),
      onBack: () => this.showCalendars(),
      onSignInAgain: () => void this.signInAgain(),
      onTaskChanged: () => this.showBusy(),
    });
    this.frame(this.settings.view.el);
    this.showBusy();
    this.settings.view.focus();
    this.settings.open(syncedCalendars(this.calendarList, this.account));
    void this.loadPolicy();
  }

  // ------------------------------------------------------------------ actions

  private async doSignIn(): Promise<void> {
    this.signIn?.setWaiting(true);
    try {
      this.account = await ipc.signIn();
      this.signedIn();
      this.showCalendars();
      await this.refresh();
    } catch (e) {
      this.signIn?.setWaiting(false);
      this.signIn?.setError(asServiceError(e));
    }
  }

  private async signOut(): Promise<void> {
    try {
      const report = await this.run("Signing out…", () => ipc.signOut());
      this.account = null;
      this.showSignIn();
      // Signed out either way; what the keyring kept is said where the sign-in screen speaks.
      if (report.left_behind) this.signIn?.setError({ code: "keyring_unavailable", message: report.left_behind });
    } catch (e) {
      this.showError(asServiceError(e));
    }
  }

  /** The sign-in expired: sign the same account in again, keeping everything it has here. */
  private async signInAgain(): Promise<void> {
    this.showSignIn();
    await this.doSignIn();
  }

  private async refresh(): Promise<void> {
    try {
      const refreshed = await this.run("Refreshing calendars…", () => ipc.refreshCalendars());
      this.applyRefresh(refreshed);
      // A refresh learns the user's groups again, and so the owners policy has them watch.
      void this.loadPolicy();
    } catch (e) {
      this.showError(asServiceError(e));
    }
  }

  private async addOwner(address: string): Promise<void> {
    this.calendars?.setAddOwnerError(null);
    try {
      const refreshed = await this.run(`Adding ${address}…`, () => ipc.addOwner(address));
      this.calendars?.ownerAdded();
      this.applyRefresh(refreshed);
    } catch (e) {
      const error = asServiceError(e);
      if (error.code === "sign_in_required") this.showError(error);
      else this.calendars?.setAddOwnerError(error.message);
    }
  }

  private async removeOwner(address: string): Promise<void> {
    try {
      const refreshed = await this.run(`Removing ${address}…`, () => ipc.removeOwner(address));
      this.applyRefresh(refreshed);
    } catch (e) {
      this.showError(asServiceError(e));
    }
  }

  private async checkSetup(): Promise<void> {
    try {
      const report = await this.run("Checking your setup…", () => ipc.runDoctor());
      this.calendars?.showDoctor(report);
    } catch (e) {
      this.showError(asServiceError(e));
    }
  }

  /** The administrator's policy: the profile for Settings, the owners it has the user watch
   * for the calendar cards. */
  private async loadPolicy(): Promise<void> {
    if (!this.account) return;
    try {
      const report = await ipc.policyReport();
      this.settings?.setPolicy(report);
      this.calendars?.setManagedOwners(report.watched_owners);
    } catch (e) {
      this.settings?.setPolicyError(asServiceError(e));
    }
  }

  // ------------------------------------------------------------------ state

  /** Run a call of the Items screen or the sync line. */
  private async track<T>(call: () => Promise<T>): Promise<T> {
    this.ownCalls += 1;
    try {
      return await call();
    } finally {
      this.ownCalls -= 1;
      this.showBusy();
    }
  }

  private async run<T>(task: string, call: () => Promise<T>): Promise<T> {
    this.task = task;
    this.showBusy();
    try {
      return await call();
    } finally {
      this.task = null;
      this.showBusy();
    }
  }

  private showBusy(): void {
    // The app is busy with the tray's refresh when no screen started the work.
    const other = this.appBusy && this.ownCalls === 0 ? "Refreshing calendars…" : null;
    const settingsTask = this.settings?.task ?? null;
    this.calendars?.setBusy(this.task ?? settingsTask ?? other);
    this.settings?.view.setBusy(settingsTask ?? this.task ?? other, settingsTask !== null);
  }

  private applyRefresh(refreshed: Refreshed): void {
    this.calendarList = refreshed.calendars;
    this.items?.setCalendars(refreshed.calendars);
    this.conflicts?.setCalendars(refreshed.calendars);
    this.slots?.calendarsChanged(this.screen === "slots");
    if (this.account) this.settings?.setOwners(syncedCalendars(refreshed.calendars, this.account));
    this.calendars?.setError(null);
    this.calendars?.setCalendars(refreshed.calendars, refreshed.refreshed_at);
    this.calendars?.setNotices(refreshed.notices);
  }

  private showError(error: ServiceError): void {
    if (this.calendars) this.calendars.setError(error);
    else this.signIn?.setError(error);
    // Signed out of Microsoft 365 while on Settings: say it where it can be read.
    if (this.screen === "settings" && error.code === "sign_in_required") this.settings?.view.setError(error);
  }
}

export function mount(): App {
  return new App(byId("app"));
}
