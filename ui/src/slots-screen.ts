// The Time slots screen's controller: the picker's calendars and the rules last used on the one
// picked, finding times, the times picked and how they are offered, the message's preview
// (composed again as any of them changes), Copy, and Create draft. The offer's token, once the
// Rust side made one, is given back with every later request, so the links a message carries
// stay the same while it is being edited; a new search is a new offer.

import {
  ipc,
  type ComposedMessage,
  type MessageRequest,
  type ServiceError,
  type SlotCalendar,
  type SlotCalendars,
  type SlotRequest,
  type SlotsFound,
} from "./ipc";
import { addressList, copiedText, ianaName, nextWeek, notAnAddress, onBehalfText } from "./slot-format";
import { SlotsView, type SlotForm, type SlotMode } from "./views/slots";

/** How long typing in the note pauses before the preview is composed again. */
const NOTE_PAUSE_MS = 250;

export interface SlotsScreenDeps {
  /** Runs one of the window's own calls (so the app's busy state is not taken for the tray's). */
  track: <T>(call: () => Promise<T>) => Promise<T>;
  onOpenSettings: () => void;
  onSignInAgain: () => void;
}

export class SlotsScreen {
  readonly view: SlotsView;
  private calendars: SlotCalendars | null = null;
  /** The picker is read again when the screen is next shown (a refresh changed the calendars). */
  private calendarsStale = true;
  /** The calendar whose rules the form shows. */
  private prefsFor: string | null = null;
  private found: SlotsFound | null = null;
  private picked = new Set<number>();
  private mode: SlotMode = "slots";
  private token: string | null = null;
  /** The owner's zone, by owner, as searches told it. */
  private readonly ownerZones = new Map<string, string>();
  private noteTimer: ReturnType<typeof setTimeout> | undefined;
  /** Only the answer to the latest call of each kind is shown. */
  private calendarsSeq = 0;
  private prefsSeq = 0;
  private findSeq = 0;
  private composeSeq = 0;

  constructor(private readonly deps: SlotsScreenDeps) {
    this.view = new SlotsView({
      onCalendarChange: () => this.calendarPicked(),
      onFind: () => void this.find(),
      onMode: (mode) => this.setMode(mode),
      onPick: (n, picked) => this.pick(n, picked),
      onNoteChange: () => this.noteChanged(),
      onCopy: () => void this.copy(),
      onCreateDraft: () => void this.createDraft(),
      onOfferChoice: () => void this.compose(),
      onWithdraw: (reference) => void this.withdraw(reference),
      onOpenSettings: deps.onOpenSettings,
      onSignInAgain: deps.onSignInAgain,
    });
    const week = nextWeek(new Date());
    this.view.setDays(week.from, week.to);
  }

  /** The screen is shown: the picker is read the first time and after the calendars changed. */
  async open(): Promise<void> {
    void this.loadOffers();
    if (this.calendarsStale) await this.loadCalendars();
  }

  /** The offers replies may book, and what became of them. */
  async loadOffers(): Promise<void> {
    try {
      this.view.offers.setOffers(await ipc.listOffers());
    } catch (e) {
      this.view.setError(e as ServiceError);
    }
  }

  private async withdraw(reference: string): Promise<void> {
    try {
      await this.deps.track(() => ipc.withdrawOffer(reference));
      this.view.setError(null);
      this.view.setNotice(`Offer OB-${reference} withdrawn: its holds are released, and a reply to it books nothing.`);
    } catch (e) {
      this.view.setError(e as ServiceError);
    }
    await this.loadOffers();
  }

  /** A refresh read the calendars again; `shown`: the screen is on view, so read them now. */
  calendarsChanged(shown: boolean): void {
    this.calendarsStale = true;
    if (shown) void this.loadCalendars();
  }

  private async loadCalendars(): Promise<void> {
    const seq = ++this.calendarsSeq;
    const first = this.calendars === null;
    if (first) this.view.setFinding("Reading your calendars…");
    try {
      const calendars = await this.deps.track(() => ipc.slotCalendars());
      if (seq !== this.calendarsSeq) return;
      this.calendars = calendars;
      this.calendarsStale = false;
      const shown = this.view.calendar()?.owner ?? null;
      const keep = shown !== null && calendars.calendars.some((c) => c.owner === shown && c.verdict.allowed);
      this.view.setCalendars(calendars.calendars, keep ? shown : calendars.default);
      this.calendarPicked();
    } catch (e) {
      if (seq === this.calendarsSeq) this.view.setError(e as ServiceError);
    } finally {
      if (first && seq === this.calendarsSeq) this.view.setFinding(null);
    }
  }

  /** Another calendar is picked: its rules are read, and times found on another are let go. */
  private calendarPicked(): void {
    this.view.calendarChanged();
    const cal = this.view.calendar();
    const owner = cal?.owner ?? null;
    if (owner === this.prefsFor) return;
    this.prefsFor = owner;
    if (this.found && this.found.owner.address !== owner) this.clearResult();
    this.showOwnerZone(cal);
    if (cal) void this.loadPrefs(cal);
  }

  private showOwnerZone(cal: SlotCalendar | null): void {
    const whose = cal === null ? null : cal.is_own ? "Your" : `${cal.owner_name}'s`;
    this.view.setOwnerZone(whose, cal ? (this.ownerZones.get(cal.owner) ?? null) : null);
  }

  private async loadPrefs(cal: SlotCalendar): Promise<void> {
    const seq = ++this.prefsSeq;
    try {
      const prefs = await this.deps.track(() => ipc.slotPrefs(key(cal)));
      if (seq !== this.prefsSeq) return;
      this.view.setPrefs(prefs, cal.owner);
    } catch (e) {
      if (seq === this.prefsSeq) this.view.setError(e as ServiceError);
    }
  }

  // ------------------------------------------------------------------ finding

  private async find(): Promise<void> {
    const form = this.view.read();
    if (!form) return;
    const seq = ++this.findSeq;
    this.view.setError(null);
    this.view.setNotice(null);
    this.view.setFinding("Reading free/busy…");
    try {
      const found = await this.deps.track(() => ipc.findSlots(slotRequest(form)));
      if (seq !== this.findSeq) return;
      this.learnOwnerZone(form, found);
      this.found = found;
      this.picked = new Set();
      this.token = null;
      this.view.setPreview(null);
      this.showResult();
      void this.compose();
    } catch (e) {
      if (seq === this.findSeq) this.view.setError(e as ServiceError);
    } finally {
      if (seq === this.findSeq) this.view.setFinding(null);
    }
  }

  /** The owner's zone: the one the times are in when none was asked for, else the one the
   * search gave beside it (none when it is the recipient's). */
  private learnOwnerZone(form: SlotForm, found: SlotsFound): void {
    const zone =
      found.owner_zone === null || found.owner_zone === undefined
        ? (ianaName(found.recipient_zone) ?? (form.zone === null ? found.recipient_zone_name : null))
        : ianaName(found.owner_zone);
    if (zone) this.ownerZones.set(form.calendar.owner, zone);
    this.showOwnerZone(this.view.calendar());
  }

  private clearResult(): void {
    this.findSeq++;
    this.composeSeq++;
    this.view.setFinding(null);
    this.found = null;
    this.picked = new Set();
    this.token = null;
    this.showResult();
  }

  private showResult(): void {
    this.view.setResult(this.found, this.picked, this.mode, this.draftRefusal());
  }

  /** Why no draft can be made from the calendar of the times shown, if none can. */
  private draftRefusal(): string | null {
    const found = this.found;
    if (!found) return null;
    const cal = this.calendars?.calendars.find((c) => c.owner === found.owner.address.toLowerCase());
    if (!cal || cal.is_own) return null;
    return onBehalfText(cal.owner_name, cal.send_on_behalf)?.draftRefused ?? null;
  }

  private setMode(mode: SlotMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.showResult();
    void this.compose();
  }

  private pick(n: number, picked: boolean): void {
    if (picked) this.picked.add(n);
    else this.picked.delete(n);
    this.view.pickedChanged(this.picked);
    void this.compose();
  }

  private noteChanged(): void {
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => void this.compose(), NOTE_PAUSE_MS);
  }

  // ------------------------------------------------------------------ the message

  private request(found: SlotsFound): MessageRequest {
    const note = this.view.noteText().trim();
    const choice = this.view.offerChoice();
    const request: MessageRequest = {
      found,
      picked: [...this.picked].sort((a, b) => a - b),
      availability: this.mode === "availability",
      reply_links: choice.replyLinks,
      holds: choice.holds,
    };
    if (note) request.note = note;
    if (this.token) request.token = this.token;
    return request;
  }

  private keep(composed: ComposedMessage): void {
    if (composed.token) this.token = composed.token;
  }

  /** The message left as an offer replies may book: the next one is a new offer, with links of
   * its own, and the list of offers shows this one. */
  private sent(request: MessageRequest): void {
    if (!request.reply_links && !request.holds) return;
    this.token = null;
    void this.loadOffers();
    void this.compose();
  }

  /** The preview, composed again for what is picked now. */
  private async compose(): Promise<void> {
    clearTimeout(this.noteTimer);
    const found = this.found;
    if (!found) return;
    const seq = ++this.composeSeq;
    try {
      const composed = await ipc.composeSlotMessage(this.request(found));
      if (seq !== this.composeSeq || found !== this.found) return;
      this.keep(composed);
      this.view.setPreview(composed);
    } catch (e) {
      if (seq === this.composeSeq) this.view.setError(e as ServiceError);
    }
  }

  private async copy(): Promise<void> {
    const found = this.found;
    if (!found) return;
    this.view.setMessageBusy("Copying…");
    try {
      const request = this.request(found);
      const { composed, held } = await this.deps.track(() => ipc.copySlotMessage(request));
      this.keep(composed);
      this.view.messageDone("Copied.");
      this.view.setError(null);
      this.view.setNotice(copiedText(composed.count, this.mode === "availability", request.reply_links, held));
      this.sent(request);
    } catch (e) {
      this.view.setMessageBusy(null);
      this.view.setError(e as ServiceError);
    }
  }

  private async createDraft(): Promise<void> {
    const found = this.found;
    if (!found) return;
    const to = addressList(this.view.recipientText());
    const bad = notAnAddress(to);
    if (bad !== null) {
      this.view.recipientError(`"${bad}" is not an e-mail address.`);
      return;
    }
    this.view.setMessageBusy("Creating the draft…");
    try {
      const request = this.request(found);
      const outcome = await this.deps.track(() => ipc.createSlotDraft({ message: request, to, send: false }));
      this.view.messageDone("Draft created.");
      this.view.setError(null);
      this.view.setNotice(outcome.notice);
      this.sent(request);
    } catch (e) {
      this.view.setMessageBusy(null);
      this.view.setError(e as ServiceError);
    }
  }
}

/** What the Rust side takes for a calendar: `me`, or the owner's address. */
function key(cal: SlotCalendar): string {
  return cal.is_own ? "me" : cal.owner;
}

function slotRequest(form: SlotForm): SlotRequest {
  const request: SlotRequest = {
    calendar: key(form.calendar),
    with: form.with,
    first_day: form.firstDay,
    last_day: form.lastDay,
    prefs: form.prefs,
  };
  if (form.zone !== null) request.recipient_zone = form.zone;
  return request;
}
