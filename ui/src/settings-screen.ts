// The Settings screen's controller: the CRM account (sign-in, who you are there, the API
// allowance, sign-out), the sync settings and the administrator's policy. It is kept while
// signed in, so a CRM sign-in waiting for the browser survives going back to the calendars.

import { asServiceError, ipc, type PolicyReport, type ServiceError, type SyncSettings } from "./ipc";
import type { SyncedCalendar } from "./synced-calendars";
import { PolicySection } from "./views/policy";
import { SettingsView } from "./views/settings";
import { SyncSettingsSection } from "./views/sync-settings";

export interface SettingsScreenDeps {
  /** Runs one of the window's own calls (so the app's busy state is not taken for the tray's). */
  track: <T>(call: () => Promise<T>) => Promise<T>;
  onBack: () => void;
  onSignInAgain: () => void;
  /** What this screen waits for changed: the app shows it (and what else is under way). */
  onTaskChanged: () => void;
}

export class SettingsScreen {
  readonly view: SettingsView;
  private readonly sync: SyncSettingsSection;
  private readonly policy: PolicySection;
  /** Counts CRM sign-ins and sign-outs, so an answer about the account before one is dropped. */
  private crmSeq = 0;
  /** What this screen is waiting for, in words; null when idle. */
  private waitingFor: string | null = null;

  constructor(sandbox: boolean, address: string, private readonly deps: SettingsScreenDeps) {
    this.view = new SettingsView(sandbox, address, {
      onBack: () => deps.onBack(),
      onCrmSignIn: () => void this.crmSignIn(),
      onCrmCancel: () => void ipc.cancelSignIn(),
      onCrmRefresh: () => void this.checkCrm(),
      onCrmSignOut: () => void this.crmSignOut(),
      onSignInAgain: () => deps.onSignInAgain(),
    });
    this.sync = new SyncSettingsSection({ onSave: (s) => void this.saveSyncSettings(s) });
    this.view.appendSection(this.sync.el);
    this.policy = new PolicySection();
    this.view.appendSection(this.policy.el);
  }

  /** What this screen is waiting for, in words; null when idle. */
  get task(): string | null {
    return this.waitingFor;
  }

  /** Shown again: everything is read afresh, unless a sign-in or a question to the CRM is
   * under way. */
  open(owners: SyncedCalendar[]): void {
    if (!this.view.isWaiting() && this.waitingFor === null) void this.loadCrm();
    this.setOwners(owners);
    void this.loadSyncSettings();
  }

  setOwners(owners: SyncedCalendar[]): void {
    this.sync.setOwners(owners);
  }

  setPolicy(report: PolicyReport): void {
    this.policy.set(report);
  }

  setPolicyError(error: ServiceError): void {
    this.policy.setError(error);
  }

  // ------------------------------------------------------------------ CRM

  private async loadCrm(): Promise<void> {
    try {
      // Kept here, read in an instant: no progress line for it.
      const state = await ipc.crmState();
      this.view.setCrmState(state);
      if (state.account) await this.checkCrm();
    } catch (e) {
      this.view.setError(asServiceError(e));
    }
  }

  /** Ask the CRM who you are and how much of the API allowance is left. An answer that
   * arrives after a sign-out (or a new sign-in) is old news and not shown. */
  private async checkCrm(): Promise<void> {
    const seq = this.crmSeq;
    this.view.setChecking();
    try {
      const account = await this.run("Asking Salesforce…", () => ipc.crmWhoami());
      if (seq !== this.crmSeq) return;
      this.view.setCrmAccount(account);
      this.view.setError(null);
    } catch (e) {
      if (seq !== this.crmSeq) return;
      this.view.setError(asServiceError(e));
    }
  }

  private async crmSignIn(): Promise<void> {
    this.crmSeq++;
    this.view.setWaiting(true);
    try {
      const account = await ipc.crmSignIn();
      this.view.setCrmAccount(account);
      // The sign-in reads the allowance only when Salesforce volunteered it.
      if (!account.budget) await this.checkCrm();
    } catch (e) {
      this.view.setError(asServiceError(e));
    } finally {
      this.view.setWaiting(false);
    }
  }

  private async crmSignOut(): Promise<void> {
    this.crmSeq++;
    try {
      const report = await this.run("Signing out of Salesforce…", () => ipc.crmSignOut());
      this.view.setError(null);
      this.view.setSignedOut(report.left_behind);
    } catch (e) {
      this.view.setError(asServiceError(e));
    }
  }

  // ------------------------------------------------------------------ sync settings

  private async loadSyncSettings(): Promise<void> {
    try {
      this.sync.set(await ipc.syncSettings());
      this.sync.setError(null);
    } catch (e) {
      this.sync.setError(asServiceError(e));
    }
  }

  private async saveSyncSettings(settings: SyncSettings): Promise<void> {
    this.sync.setSaving(true);
    try {
      const kept = await this.deps.track(() => ipc.setSyncSettings(settings));
      this.sync.setSaving(false);
      this.sync.saved(kept);
    } catch (e) {
      this.sync.setSaving(false);
      this.sync.setError(asServiceError(e));
    }
  }

  private async run<T>(task: string, call: () => Promise<T>): Promise<T> {
    this.waitingFor = task;
    this.deps.onTaskChanged();
    try {
      return await call();
    } finally {
      this.waitingFor = null;
      this.deps.onTaskChanged();
    }
  }
}
