// The sync status line's controller: where the sync stands (read at sign-in, then pushed by the
// app's `sync-status` event), Sync now, Pause, and turning it on, with what the first sync will
// do shown first.

import { h } from "./dom";
import { ipc, type ServiceError, type SyncStatus } from "./ipc";
import { count, previewSteps, previewText } from "./share-format";
import { confirmDialog } from "./views/confirm";
import { SyncLine } from "./views/sync-line";

/** How long "Syncing…" is shown after Sync now without the cycle being seen. */
const REQUEST_PATIENCE_MS = 60_000;

export interface SyncControlDeps {
  /** Runs one of the window's own calls (so the app's busy state is not taken for the tray's). */
  track: <T>(call: () => Promise<T>) => Promise<T>;
  /** A cycle ended (its last run changed): what is shown of items may have changed. */
  onCycleEnded: () => void;
  onOpenSettings: () => void;
  onOpenConflicts: () => void;
  onOpenProblems: () => void;
  /** How many conflicts wait for a decision, each time the status is read. */
  onConflicts: (n: number) => void;
}

export class SyncControl {
  readonly line: SyncLine;
  private status: SyncStatus | null = null;
  /** The loop's next run when Sync now was pressed; `undefined` when none is awaited. */
  private requested: { next: string | undefined; at: number } | undefined;
  private working: string | null = null;
  private error: ServiceError | null = null;

  constructor(private readonly deps: SyncControlDeps) {
    this.line = new SyncLine({
      onSyncNow: () => void this.syncNow(),
      onPause: () => void this.switchTo(false),
      onTurnOn: () => void this.turnOn(),
      onOpenSettings: deps.onOpenSettings,
      onOpenConflicts: deps.onOpenConflicts,
      onOpenProblems: deps.onOpenProblems,
    });
  }

  /** Read where the sync stands (after signing in). */
  async load(): Promise<void> {
    try {
      this.apply(await ipc.syncStatus());
    } catch (e) {
      this.error = e as ServiceError;
      this.render();
    }
  }

  /** Signed out: nothing to show. */
  clear(): void {
    this.status = null;
    this.requested = undefined;
    this.working = null;
    this.error = null;
    this.render();
  }

  /** A status read by a command or pushed by the app. */
  apply(status: SyncStatus): void {
    const before = this.status;
    this.status = status;
    const r = this.requested;
    if (r && (status.loop.next_run_at !== r.next || Date.now() - r.at > REQUEST_PATIENCE_MS || !status.on)) {
      this.requested = undefined;
    }
    this.render();
    this.deps.onConflicts(status.conflicts);
    if (before && before.last_run !== status.last_run) this.deps.onCycleEnded();
  }

  tick(): void {
    this.line.tick();
  }

  private render(): void {
    this.line.set(this.status, { requested: this.requested !== undefined, working: this.working, error: this.error });
  }

  private async run<T>(working: string, call: () => Promise<T>): Promise<T> {
    this.working = working;
    this.error = null;
    this.render();
    try {
      return await this.deps.track(call);
    } finally {
      this.working = null;
      this.render();
    }
  }

  async syncNow(): Promise<void> {
    this.requested = { next: this.status?.loop.next_run_at, at: Date.now() };
    this.error = null;
    this.render();
    try {
      const status = await this.deps.track(() => ipc.syncNow());
      this.apply(status);
    } catch (e) {
      this.requested = undefined;
      this.error = e as ServiceError;
      this.render();
    }
  }

  private async switchTo(on: boolean): Promise<void> {
    try {
      this.apply(await this.run(on ? "Turning sync on…" : "Pausing sync…", () => ipc.setSyncOn(on)));
    } catch (e) {
      this.error = e as ServiceError;
      this.render();
    }
  }

  /** The first time, what the first sync will do is shown before it is turned on. */
  private async turnOn(): Promise<void> {
    if (this.status?.last_run) {
      await this.switchTo(true);
      return;
    }
    let preview;
    try {
      preview = await this.run("Checking what the first sync will do…", () => ipc.syncPreview());
    } catch (e) {
      this.error = e as ServiceError;
      this.render();
      return;
    }
    const steps = previewSteps(preview);
    const owners = preview.watched_owners;
    confirmDialog({
      id: "sync-preview",
      title: "Turn on sync",
      body: [
        h("p", { id: "sync-preview-text", "data-field": "preview" }, previewText(preview)),
        steps.length > 0
          ? h(
              "ul",
              { class: "preview-steps" },
              ...steps.map((s) => h("li", { "data-step": s.step }, h("span", {}, s.words), h("strong", {}, String(s.n)))),
            )
          : "",
        owners > 0
          ? `It covers your own calendar and the main calendars of ${count(owners, "owner", "owners")} you work for.`
          : "It covers your own calendar.",
        "After that, Onbehalf syncs on its schedule until you pause it.",
      ],
      confirm: "Turn on",
      working: "Turning sync on…",
      run: async () => {
        this.apply(await this.deps.track(() => ipc.setSyncOn(true)));
      },
      returnFocus: () => document.getElementById("sync-now") ?? document.getElementById("sync-turn-on"),
    });
  }
}
