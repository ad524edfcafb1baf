// The app's controller: which screen shows, what the Rust side is asked, and where its answers
// and errors go.

import logoUrl from "../../icons/128x128.png";
import { byId, fill, h } from "./dom";
import { asServiceError, ipc, onEvent, type AccountView, type Refreshed, type ServiceError } from "./ipc";
import { CalendarsView } from "./views/calendars";
import { SignInView } from "./views/signin";

const MINUTE = 60_000;

export class App {
  private sandbox = false;
  private account: AccountView | null = null;
  private signIn: SignInView | null = null;
  private calendars: CalendarsView | null = null;
  /** What this window is waiting for, in words; null when idle. */
  private task: string | null = null;
  /** Whether the app reports work this window did not start (the tray's refresh). */
  private appBusy = false;

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    await Promise.all([
      onEvent("busy", (busy) => {
        this.appBusy = busy;
        this.showBusy();
      }),
      onEvent("calendars-updated", (refreshed) => this.applyRefresh(refreshed)),
      onEvent("refresh-failed", (error) => this.showError(error)),
    ]);
    setInterval(() => this.calendars?.tick(), MINUTE);
    try {
      const state = await ipc.appState();
      this.sandbox = state.sandbox;
      this.account = state.account;
      if (state.account) {
        this.showCalendars();
        this.calendars?.setCalendars(state.calendars, null);
        void this.refresh();
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
            { class: "account-text" },
            h("span", { class: "account-name" }, this.account.display_name),
            h("span", { class: "account-address" }, this.account.address),
          ),
          h("button", { id: "sign-out", type: "button", onclick: () => void this.signOut() }, "Sign out"),
        )
      : null;
    fill(
      this.root,
      h(
        "header",
        { class: "appbar" },
        h("div", { class: "brand" }, h("img", { src: logoUrl, alt: "", width: 28, height: 28 }), h("span", {}, "Onbehalf")),
        badge,
        h("div", { class: "spacer" }),
        account,
      ),
      h("main", { id: "main" }, main),
    );
  }

  private showSignIn(): void {
    this.calendars = null;
    this.signIn = new SignInView(this.sandbox, {
      onSignIn: () => void this.doSignIn(),
      onCancel: () => void ipc.cancelSignIn(),
    });
    this.frame(this.signIn.el);
    this.signIn.focus();
  }

  private showCalendars(): void {
    this.signIn = null;
    this.calendars = new CalendarsView({
      onRefresh: () => void this.refresh(),
      onAddOwner: (address) => void this.addOwner(address),
      onRemoveOwner: (address) => void this.removeOwner(address),
      onCheckSetup: () => void this.checkSetup(),
      onSignInAgain: () => void this.signInAgain(),
    });
    this.frame(this.calendars.el);
    this.showBusy();
  }

  // ------------------------------------------------------------------ actions

  private async doSignIn(): Promise<void> {
    this.signIn?.setWaiting(true);
    try {
      this.account = await ipc.signIn();
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

  // ------------------------------------------------------------------ state

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
    const text = this.task ?? (this.appBusy ? "Refreshing calendars…" : null);
    this.calendars?.setBusy(text);
  }

  private applyRefresh(refreshed: Refreshed): void {
    this.calendars?.setError(null);
    this.calendars?.setCalendars(refreshed.calendars, refreshed.refreshed_at);
    this.calendars?.setNotices(refreshed.notices);
  }

  private showError(error: ServiceError): void {
    if (this.calendars) this.calendars.setError(error);
    else this.signIn?.setError(error);
  }
}

export function mount(): App {
  return new App(byId("app"));
}
