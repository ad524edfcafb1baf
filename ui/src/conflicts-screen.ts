// The Conflicts screen's controller: reads what waits for the user's decision and what merges
// overwrote, asks before keeping one side's values, and dismisses notices.

import { FIELD_LABELS, listText, sideName } from "./conflict-format";
import { ipc, type CalendarEntry, type ConflictView, type OverwriteView, type ServiceError, type Winner } from "./ipc";
import { syncedCalendars, type SyncedCalendar } from "./synced-calendars";
import { confirmDialog } from "./views/confirm";
import { ConflictsScreenView } from "./views/conflicts";

export interface ConflictsScreenDeps {
  /** Runs one of the window's own calls (so the app's busy state is not taken for the tray's). */
  track: <T>(call: () => Promise<T>) => Promise<T>;
  onOpenItems: () => void;
  onOpenSettings: () => void;
  onSignInAgain: () => void;
}

export class ConflictsScreen {
  readonly view: ConflictsScreenView;
  private calendars: SyncedCalendar[] = [];
  /** Only the answer to the latest read is shown. */
  private loadSeq = 0;

  constructor(
    private readonly me: { address: string; display_name: string },
    private readonly deps: ConflictsScreenDeps,
  ) {
    this.calendars = syncedCalendars([], me);
    this.view = new ConflictsScreenView(
      {
        onRefresh: () => void this.load(false),
        onKeep: (c, keep) => this.keep(c, keep),
        onDismiss: (o) => void this.dismiss(o),
        onOpenItems: deps.onOpenItems,
        onOpenSettings: deps.onOpenSettings,
        onSignInAgain: deps.onSignInAgain,
      },
      (address) => this.calendarName(address),
    );
  }

  /** The calendars found by the last refresh, to name them. */
  setCalendars(entries: CalendarEntry[]): void {
    this.calendars = syncedCalendars(entries, this.me);
  }

  /** Read what waits and what was overwritten; `quiet` keeps the lists while it reads. */
  async load(quiet: boolean): Promise<void> {
    const seq = ++this.loadSeq;
    if (!quiet) {
      this.view.setView(null);
      this.view.setError(null);
    }
    this.view.setBusy("Reading both sides of each conflict…");
    try {
      const view = await this.deps.track(() => ipc.listConflicts());
      if (seq !== this.loadSeq) return;
      this.view.setError(null);
      this.view.setView(view);
    } catch (e) {
      if (seq !== this.loadSeq) return;
      this.view.setError(e as ServiceError);
    } finally {
      if (seq === this.loadSeq) this.view.setBusy(null);
    }
  }

  private calendarName(address: string): string {
    const lower = address.toLowerCase();
    if (lower === this.me.address.toLowerCase()) return "Your calendar";
    const cal = this.calendars.find((c) => c.address.toLowerCase() === lower);
    return cal ? `${cal.ownerName}'s calendar` : `${address}'s calendar`;
  }

  private keep(c: ConflictView, keep: Winner): void {
    const index = [...document.querySelectorAll<HTMLElement>("#conflicts .conflict")].findIndex((el) => el.dataset.itemId === c.item);
    const fields = listText(c.fields.map((f) => FIELD_LABELS[f.field].toLowerCase()));
    const kept = keep === "exchange" ? "Outlook's" : "the CRM's";
    const taker = keep === "exchange" ? "The CRM event" : "The appointment in Outlook";
    const other = sideName(keep === "exchange" ? "crm" : "exchange");
    confirmDialog({
      id: "resolve-dialog",
      title: `Keep ${kept} values for “${c.subject}”?`,
      body: [`${taker} takes ${kept} ${fields}; what ${other} holds for ${c.fields.length === 1 ? "it" : "them"} now is replaced.`],
      confirm: keep === "exchange" ? "Keep Outlook" : "Keep CRM",
      working: "Writing the values…",
      run: async () => {
        const calendar = c.calendar.toLowerCase() === this.me.address.toLowerCase() ? null : c.calendar;
        await this.deps.track(() => ipc.resolveConflict(calendar, c.item, keep));
        this.view.setNotice(`“${c.subject}” now holds ${kept} values on both sides.`);
        await this.load(true);
      },
      returnFocus: () => this.view.elementAfter("conflicts", index),
    });
  }

  private async dismiss(o: OverwriteView): Promise<void> {
    const index = [...document.querySelectorAll("#overwritten .overwrite")].findIndex(
      (el) => (el as HTMLElement).dataset.overwriteId === String(o.id),
    );
    try {
      await this.deps.track(() => ipc.dismissOverwrite(o.id));
      this.view.setError(null);
      await this.load(true);
      this.view.elementAfter("overwritten", index).focus();
    } catch (e) {
      this.view.setError(e as ServiceError);
    }
  }
}
