// The app's controller: which screen shows, what the Rust side is asked, and where its answers
// and errors go. The Items, Conflicts, Problems and Time slots screens and the sync status line
// have controllers of their own (`items-screen.ts`, `conflicts-screen.ts`, `problems-screen.ts`,
// `slots-screen.ts`, `sync-control.ts`).

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
  type SyncSettings,
} from "./ipc";
import { ItemsScreen } from "./items-screen";
import type { FixScreen } from "./problem-format";
import { ProblemsScreen } from "./problems-screen";
import { SlotsScreen } from "./slots-screen";
import { SyncControl } from "./sync-control";
import { syncedCalendars } from "./synced-calendars";
import { CalendarsView } from "./views/calendars";
import { SettingsView } from "./views/settings";
import { SignInView } from "./views/signin";
import { PolicySection } from "./views/policy";
import { SyncSettingsSection } from "./views/sync-settings";

const MINUTE = 60_000;

export class App {
  private sandbox = false;
  private account: AccountView | null = null;
  private signIn: SignInView | null = null;
  private calendars: CalendarsView | null = null;
  /** Kept while signed in, so a CRM sign-in waiting for the browser survives going back. */
  private settings: SettingsView | null = null;
  private syncSettings: SyncSettingsSection | null = null;
  private policy: PolicySection | null = null;
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
  /** Counts CRM sign-ins and sign-outs, so an answer about the account before one is dropped. */
  private crmSeq = 0;
  /** What the Settings screen is waiting for, in words; null when idle. */
  private settingsTask: string | null = null;
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
      this.settings?.tick();
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
    this.syncSettings = null;
    this.policy = null;
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
    if (!this.settings) {
      this.settings = new SettingsView(this.sandbox, this.account.address, {
        onBack: () => this.showCalendars(),
        onCrmSignIn: () => void this.crmSignIn(),
        onCrmCancel: () => void ipc.cancelSignIn(),
        onCrmRefresh: () => void this.checkCrm(),
        onCrmSignOut: () => void this.crmSignOut(),
        onSignInAgain: () => void this.signInAgain(),
      });
      this.syncSettings = new SyncSettingsSection({ onSave: (s) => void this.saveSyncSettings(s) });
      this.settings.appendSection(this.syncSettings.el);
      this.policy = new PolicySection();
      this.settings.appendSection(this.policy.el);
    }
    this.frame(this.settings.el);
    this.showBusy();
    this.settings.focus();
    // Read afresh each time, unless a sign-in or a question to the CRM is under way.
    if (!this.settings.isWaiting() && this.settingsTask === null) void this.loadCrm();
    void this.loadSyncSettings();
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

  // ------------------------------------------------------------------ CRM (Settings)

  private async loadCrm(): Promise<void> {
    const view = this.settings;
    if (!view) return;
    try {
      // Kept here, read in an instant: no progress line for it.
      const state = await ipc.crmState();
      view.setCrmState(state);
      if (state.account) await this.checkCrm();
    } catch (e) {
      view.setError(asServiceError(e));
    }
  }

  /** Ask the CRM who you are and how much of the API allowance is left. An answer that
   * arrives after a sign-out (or a new sign-in) is old news and not shown. */
  private async checkCrm(): Promise<void> {
    const view = this.settings;
    if (!view) return;
    const seq = this.crmSeq;
    view.setChecking();
    try {
      const account = await this.runSettings("Asking Salesforce…", () => ipc.crmWhoami());
      if (seq !== this.crmSeq) return;
      view.setCrmAccount(account);
      view.setError(null);
    } catch (e) {
      if (seq !== this.crmSeq) return;
      view.setError(asServiceError(e));
    }
  }

  private async crmSignIn(): Promise<void> {
    const view = this.settings;
    if (!view) return;
    this.crmSeq++;
    view.setWaiting(true);
    try {
      const account = await ipc.crmSignIn();
      view.setCrmAccount(account);
      // The sign-in reads the allowance only when Salesforce volunteered it.
      if (!account.budget) await this.checkCrm();
    } catch (e) {
      view.setError(asServiceError(e));
    } finally {
      view.setWaiting(false);
    }
  }

  private async crmSignOut(): Promise<void> {
    const view = this.settings;
    if (!view) return;
    this.crmSeq++;
    try {
      const report = await this.runSettings("Signing out of Salesforce…", () => ipc.crmSignOut());
      view.setError(null);
      view.setSignedOut(report.left_behind);
    } catch (e) {
      view.setError(asServiceError(e));
    }
  }

  // ------------------------------------------------------------------ sync (Settings)

  private async loadSyncSettings(): Promise<void> {
    const section = this.syncSettings;
    if (!section || !this.account) return;
    section.setOwners(syncedCalendars(this.calendarList, this.account));
    try {
      section.set(await ipc.syncSettings());
      section.setError(null);
    } catch (e) {
      section.setError(asServiceError(e));
    }
  }

  /** The administrator's policy: the profile for Settings, the owners it has the user watch
   * for the calendar cards. */
  private async loadPolicy(): Promise<void> {
    if (!this.account) return;
    try {
      const report = await ipc.policyReport();
      this.policy?.set(report);
      this.calendars?.setManagedOwners(report.watched_owners);
    } catch (e) {
      this.policy?.setError(asServiceError(e));
    }
  }

  private async saveSyncSettings(settings: SyncSettings): Promise<void> {
    const section = this.syncSettings;
    if (!section) return;
    section.setSaving(true);
    try {
      const kept = await this.track(() => ipc.setSyncSettings(settings));
      section.setSaving(false);
      section.saved(kept);
    } catch (e) {
      section.setSaving(false);
      section.setError(asServiceError(e));
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

  private async runSettings<T>(task: string, call: () => Promise<T>): Promise<T> {
    this.settingsTask = task;
    this.showBusy();
    try {
      return await call();
    } finally {
      this.settingsTask = null;
      this.showBusy();
    }
  }

  private showBusy(): void {
    // The app is busy with the tray's refresh when no screen started the work.
    const other = this.appBusy && this.ownCalls === 0 ? "Refreshing calendars…" : null;
    this.calendars?.setBusy(this.task ?? this.settingsTask ?? other);
    this.settings?.setBusy(this.settingsTask ?? this.task ?? other, this.settingsTask !== null);
  }

  private applyRefresh(refreshed: Refreshed): void {
    this.calendarList = refreshed.calendars;
    this.items?.setCalendars(refreshed.calendars);
    this.conflicts?.setCalendars(refreshed.calendars);
    this.slots?.calendarsChanged(this.screen === "slots");
    if (this.account) this.syncSettings?.setOwners(syncedCalendars(refreshed.calendars, this.account));
    this.calendars?.setError(null);
    this.calendars?.setCalendars(refreshed.calendars, refreshed.refreshed_at);
    this.calendars?.setNotices(refreshed.notices);
  }

  private showError(error: ServiceError): void {
    if (this.calendars) this.calendars.setError(error);
    else this.signIn?.setError(error);
    // Signed out of Microsoft 365 while on Settings: say it where it can be read.
    if (this.screen === "settings" && error.code === "sign_in_required") this.settings?.setError(error);
  }
}

export function mount(): App {
  return new App(byId("app"));
}
