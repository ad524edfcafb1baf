// The Items screen's controller: which calendar and days are read, the Share dialog and the
// Unshare question, and what the rows know of the CRM (whose calendar an event is in, the
// names of the records items are linked to).

import { h } from "./dom";
import { ipc, type CalendarEntry, type ItemView, type ServiceError, type ShareOutcome } from "./ipc";
import { crmOwnerText, isoDay } from "./share-format";
import { syncedCalendars, type SyncedCalendar } from "./synced-calendars";
import { confirmDialog } from "./views/confirm";
import type { RowContext } from "./views/item-row";
import { ItemsView, type Span } from "./views/items";
import { shareDialog } from "./views/share-dialog";

/** The span shown before the sync settings are read. */
const DEFAULT_DAYS = { back: 14, ahead: 60 };

export interface ItemsScreenDeps {
  /** Runs one of the window's own calls (so the app's busy state is not taken for the tray's). */
  track: <T>(call: () => Promise<T>) => Promise<T>;
  onOpenSettings: () => void;
  onSignInAgain: () => void;
  onOpenConflicts: () => void;
}

export class ItemsScreen {
  readonly view: ItemsView;
  private calendars: SyncedCalendar[] = [];
  /** The user's own CRM user, to say "your CRM calendar". */
  private crmMe: string | null = null;
  private readonly recordNames = new Map<string, string>();
  private spanChosen = false;
  /** Only the answer to the latest read is shown. */
  private loadSeq = 0;

  constructor(
    private readonly me: { address: string; display_name: string },
    private readonly deps: ItemsScreenDeps,
  ) {
    this.view = new ItemsView({
      onLoad: () => void this.load(false),
      onShare: (item) => this.share(item),
      onUnshare: (item) => this.unshare(item),
      onOpenSettings: deps.onOpenSettings,
      onSignInAgain: deps.onSignInAgain,
      onOpenConflicts: deps.onOpenConflicts,
    });
    this.setSpan(DEFAULT_DAYS.back, DEFAULT_DAYS.ahead);
  }

  /** The calendars found by the last refresh. */
  setCalendars(entries: CalendarEntry[]): void {
    const selected = this.view.calendar()?.owner ?? null;
    this.calendars = syncedCalendars(entries, this.me);
    const still = this.calendars.some((c) => c.owner === selected);
    this.view.setCalendars(this.calendars, still ? selected : null);
  }

  /** Show `owner`'s calendar (null: your own) and read its items. */
  async open(owner: string | null): Promise<void> {
    this.view.setCalendars(this.calendars, owner);
    if (!this.spanChosen) {
      this.spanChosen = true;
      try {
        const { settings } = (await ipc.syncSettings()).view;
        this.setSpan(settings.days_back, settings.days_ahead);
      } catch {
        // The default span stays; reading the items says what is wrong.
      }
    }
    try {
      this.crmMe = (await ipc.crmState()).account?.user_id ?? null;
    } catch {
      this.crmMe = null;
    }
    await this.load(false);
  }

  /** Read the items again without clearing the list (a sync cycle ended). */
  refreshQuietly(): void {
    void this.load(true);
  }

  private setSpan(back: number, ahead: number): void {
    const today = new Date();
    const day = (offset: number) => isoDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset));
    this.view.setSpan({ from: day(-back), to: day(ahead) });
  }

  private async load(quiet: boolean): Promise<void> {
    const cal = this.view.calendar();
    const span = this.view.span();
    if (!cal || !span) return;
    const seq = ++this.loadSeq;
    if (!quiet) {
      this.view.setItems(null, null);
      this.view.setError(null);
    }
    this.view.setBusy(cal.owner === null ? "Reading your calendar…" : `Reading ${cal.ownerName}'s calendar…`);
    try {
      const { from, to } = bounds(span);
      const items = await this.deps.track(() => ipc.listItems(cal.owner, from, to));
      if (seq !== this.loadSeq) return;
      this.view.setError(null);
      this.view.setItems(items, this.rowContext(cal));
      void this.nameRecords(items, seq, cal);
    } catch (e) {
      if (seq !== this.loadSeq) return;
      this.view.setError(e as ServiceError);
    } finally {
      if (seq === this.loadSeq) this.view.setBusy(null);
    }
  }

  /** Learn the names of the records the items are linked to, then show them. */
  private async nameRecords(items: ItemView[], seq: number, cal: SyncedCalendar): Promise<void> {
    const unknown = [...new Set(items.flatMap((i) => i.links))].filter((id) => !this.recordNames.has(id));
    if (unknown.length === 0) return;
    try {
      const records = await ipc.crmRecords(unknown);
      for (const r of records) this.recordNames.set(r.id, r.name);
      if (seq === this.loadSeq && records.length > 0) this.view.setItems(items, this.rowContext(cal));
    } catch {
      // The rows keep counting the records; the names are a courtesy.
    }
  }

  private rowContext(cal: SyncedCalendar): RowContext {
    return {
      ownerName: cal.ownerName,
      crmUsers: this.crmUsers(cal),
      recordName: (id) => this.recordNames.get(id) ?? null,
    };
  }

  private crmUsers(cal: SyncedCalendar): RowContext["crmUsers"] {
    return { me: this.crmMe, owner: cal.owner === null ? null : cal.crmUser, ownerName: cal.ownerName };
  }

  private share(item: ItemView): void {
    const cal = this.view.calendar();
    if (!cal) return;
    shareDialog(
      {
        item,
        calendarText: cal.owner === null ? "Your calendar" : `${cal.ownerName}'s calendar`,
        ownerName: cal.ownerName,
        crmUsers: this.crmUsers(cal),
        returnFocus: () => rowButton(item.id),
      },
      {
        match: (addresses) => ipc.crmMatch(addresses),
        search: (text) => ipc.crmSearch(text),
        share: (ids) => this.deps.track(() => ipc.shareItem(cal.owner, item.id, ids)),
        onShared: (outcome, chosen) => {
          for (const r of chosen) this.recordNames.set(r.id, r.name);
          this.applyOutcome(outcome, cal);
        },
      },
    );
  }

  private unshare(item: ItemView): void {
    const cal = this.view.calendar();
    if (!cal) return;
    const where = item.crm ? crmOwnerText(item.crm.owner, this.crmUsers(cal)) : "the CRM";
    const body =
      item.share === "shared" || item.crm
        ? [
            `Its event is deleted from ${where}.`,
            "The meeting stays in Outlook as it is; only its link to the CRM and the share category are removed.",
          ]
        : [
            cal.owner === null
              ? "The share waiting for the next sync is withdrawn; nothing reaches the CRM."
              : `The share waiting for ${cal.ownerName}'s Onbehalf is withdrawn; nothing reaches the CRM.`,
            "The meeting stays in Outlook as it is.",
          ];
    confirmDialog({
      id: "unshare-dialog",
      title: `Unshare “${item.subject}”?`,
      body: [h("div", {}, ...body.map((b) => h("p", {}, b)))],
      confirm: "Unshare",
      working: "Unsharing…",
      danger: true,
      run: async () => {
        const outcome = await this.deps.track(() => ipc.unshareItem(cal.owner, item.id));
        this.applyOutcome(outcome, cal);
      },
      returnFocus: () => rowButton(item.id),
    });
  }

  private applyOutcome(outcome: ShareOutcome, cal: SyncedCalendar): void {
    if (this.view.calendar()?.owner !== cal.owner) return;
    if (outcome.item) this.view.updateItem(outcome.item);
    else void this.load(true);
  }
}

/** The first and the day after the last day, as instants at local midnight. */
function bounds(span: Span): { from: string; to: string } {
  const midnight = (day: string, plus: number) => {
    const [y, m, d] = day.split("-").map(Number);
    return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plus).toISOString();
  };
  return { from: midnight(span.from, 0), to: midnight(span.to, 1) };
}

function rowButton(itemId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(itemId)}"] .item-action button`);
}
