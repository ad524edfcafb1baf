// The Time slots view: whose calendar (refused ones listed with the reason), the meeting's
// length, the days, the recipient's zone, other required people and the finer rules; the times
// found by day, each to pick, or the free stretches ("Availability"); and the message: the
// sender's note, its preview as plain text (never the message's HTML in this page), whether
// replies book and times are held, Copy and Create draft; and the offers waiting for replies.

import { fill, h } from "../dom";
import type { ComposedMessage, ServiceError, SlotCalendar, SlotPrefs, SlotsFound } from "../ipc";
import { addressList, notAnAddress, onBehalfText, zoneSuggestions } from "../slot-format";
import { showError, showNotice } from "./banner";
import { OfferOptions, type OfferChoice } from "./offer-options";
import { OffersView } from "./offers";
import { SlotResults } from "./slot-results";
import { ProgressLine } from "./progress";

export type SlotMode = "slots" | "availability";

export interface SlotsHandlers {
  onCalendarChange: () => void;
  onFind: () => void;
  onMode: (mode: SlotMode) => void;
  onPick: (number: number, picked: boolean) => void;
  onNoteChange: () => void;
  onCopy: () => void;
  onCreateDraft: () => void;
  /** Reply links or holds were turned on or off. */
  onOfferChoice: () => void;
  onWithdraw: (reference: string) => void;
  onOpenSettings: () => void;
  onSignInAgain: () => void;
}

/** What the form asks for, read and checked. */
export interface SlotForm {
  calendar: SlotCalendar;
  firstDay: string;
  lastDay: string;
  zone: string | null;
  with: string[];
  prefs: SlotPrefs;
}

/** A number box of the form: its id, what it is called in an error, and its bounds. */
interface NumberBox {
  input: HTMLInputElement;
  name: string;
  min: number;
  max: number;
}

export class SlotsView {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly calendarSelect: HTMLSelectElement;
  private readonly duration: HTMLInputElement;
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private readonly zoneInput: HTMLInputElement;
  private readonly zoneList: HTMLDataListElement;
  private readonly withInput: HTMLInputElement;
  private readonly increment: HTMLInputElement;
  private readonly bufferBefore: HTMLInputElement;
  private readonly bufferAfter: HTMLInputElement;
  private readonly notice: HTMLInputElement;
  private readonly maxPerDay: HTMLInputElement;
  private readonly tentative: HTMLInputElement;
  private readonly onBehalf: HTMLElement;
  private readonly refused: HTMLElement;
  private readonly formError: HTMLElement;
  private readonly findButton: HTMLButtonElement;
  private readonly progress: ProgressLine;
  private readonly errorBanner: HTMLElement;
  private readonly noticeBanner: HTMLElement;
  private readonly start: HTMLElement;
  private readonly workspace: HTMLElement;
  private readonly modeSlots: HTMLButtonElement;
  private readonly modeAvailability: HTMLButtonElement;
  private readonly times: SlotResults;
  private readonly note: HTMLTextAreaElement;
  private readonly recipient: HTMLInputElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly draftButton: HTMLButtonElement;
  private readonly draftRefused: HTMLElement;
  private readonly messageStatus: HTMLElement;
  private readonly subject: HTMLElement;
  private readonly preview: HTMLElement;
  private readonly offerOptions: OfferOptions;
  readonly offers: OffersView;
  private calendars: SlotCalendar[] = [];
  /** The search shown, and how it is offered. */
  private found: SlotsFound | null = null;
  private mode: SlotMode = "slots";
  /** Why a draft cannot be made from the calendar of the search shown, if it cannot. */
  private draftRefusal: string | null = null;
  private finding = false;
  private messageBusy = false;
  private composed = false;

  constructor(private readonly handlers: SlotsHandlers) {
    this.title = h("h1", { id: "slots-title", tabindex: "-1" }, "Time slots");

    this.calendarSelect = h("select", { id: "slot-calendar", "aria-describedby": "slot-on-behalf" });
    this.calendarSelect.addEventListener("change", () => handlers.onCalendarChange());
    this.duration = numberInput("slot-duration", 5, 1440, 5);
    this.fromInput = h("input", { id: "slot-from", type: "date", required: true });
    this.toInput = h("input", { id: "slot-to", type: "date", required: true });
    this.zoneList = h("datalist", { id: "slot-zone-list" });
    this.zoneInput = h("input", {
      id: "slot-zone",
      type: "text",
      list: "slot-zone-list",
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": "slot-zone-help",
    });
    this.withInput = h("input", {
      id: "slot-with",
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Other people's addresses, comma separated",
      "aria-describedby": "slot-with-help",
    });
    this.increment = numberInput("slot-increment", 5, 1440, 5);
    this.bufferBefore = numberInput("slot-buffer-before", 0, 1440, 5);
    this.bufferAfter = numberInput("slot-buffer-after", 0, 1440, 5);
    this.notice = numberInput("slot-notice", 0, 1440, 1);
    this.notice.step = "any";
    this.maxPerDay = numberInput("slot-max-per-day", 0, 96, 1);
    this.tentative = h("input", { id: "slot-tentative", type: "checkbox" });
    this.onBehalf = h("p", { id: "slot-on-behalf", class: "on-behalf", hidden: true });
    this.refused = h("div", { id: "slot-refused", class: "slot-refused-list", hidden: true });
    this.formError = h("p", { id: "slot-form-error", class: "error-text", role: "alert", hidden: true });
    this.findButton = h("button", { id: "find-slots", type: "submit", class: "primary" }, "Find times");
    this.progress = new ProgressLine("slot-progress");

    this.form = h(
      "form",
      { id: "slot-form", class: "slot-form", novalidate: true, "aria-label": "What to look for" },
      h(
        "div",
        { class: "slot-fields" },
        control("slot-calendar", "Calendar", this.calendarSelect, "picker"),
        control("slot-duration", "Meeting length", h("div", { class: "field-row inline" }, this.duration, h("span", { class: "muted" }, "minutes"))),
        control("slot-from", "From", this.fromInput),
        control("slot-to", "To", this.toInput),
        control("slot-zone", "Recipient's time zone", this.zoneInput, "zone"),
      ),
      h("div", { class: "slot-fields" }, control("slot-with", "Also required", this.withInput, "grow")),
      this.zoneList,
      h(
        "p",
        { class: "visually-hidden" },
        h("span", { id: "slot-zone-help" }, "A Windows or IANA zone name; empty: the calendar owner's zone."),
        h("span", { id: "slot-with-help" }, "Other people's addresses, comma separated: only times all of them are free are offered."),
      ),
      this.onBehalf,
      this.refused,
      this.formError,
      h(
        "div",
        { class: "slot-form-actions" },
        h(
          "details",
          { id: "slot-options", class: "slot-options" },
          h("summary", {}, "More options"),
          h(
            "div",
            { class: "slot-option-fields" },
            option("slot-increment", "Start every", this.increment, "minutes"),
            option("slot-buffer-before", "Free before", this.bufferBefore, "minutes"),
            option("slot-buffer-after", "Free after", this.bufferAfter, "minutes"),
            option("slot-notice", "Notice of at least", this.notice, "hours"),
            option("slot-max-per-day", "At most", this.maxPerDay, "a day (0: no limit)"),
            h(
              "div",
              { class: "checkbox-row slot-tentative" },
              this.tentative,
              h("label", { for: "slot-tentative" }, "Tentative meetings count as busy"),
            ),
          ),
        ),
        h("div", { class: "slot-find" }, this.progress.el, this.findButton),
      ),
    );
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      handlers.onFind();
    });
    this.form.addEventListener("input", () => this.clearFieldErrors());

    this.errorBanner = h("section", { id: "slot-error", class: "banner error", role: "alert", hidden: true });
    this.noticeBanner = h("section", { id: "slot-notice", class: "banner notice", role: "status", hidden: true });

    const segment = (id: string, mode: SlotMode, label: string) =>
      h("button", { id, type: "button", class: "segment", "aria-pressed": "false", onclick: () => handlers.onMode(mode) }, label);
    this.modeSlots = segment("slot-mode-slots", "slots", "Slots");
    this.modeAvailability = segment("slot-mode-availability", "availability", "Availability");
    this.times = new SlotResults((n, picked) => handlers.onPick(n, picked));

    this.note = h("textarea", {
      id: "slot-note",
      rows: 2,
      placeholder: "A few words of your own, e.g. “Thank you for your call this morning.”",
    });
    this.note.addEventListener("input", () => handlers.onNoteChange());
    this.recipient = h("input", {
      id: "slot-recipient",
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "customer@example.com",
      "aria-describedby": "slot-recipient-help",
    });
    this.copyButton = h("button", { id: "copy-message", type: "button", onclick: () => handlers.onCopy() }, "Copy message");
    this.draftButton = h("button", { id: "create-draft", type: "button", class: "primary", onclick: () => handlers.onCreateDraft() }, "Create draft");
    this.draftRefused = h("p", { id: "slot-draft-refused", class: "draft-refused", hidden: true });
    this.messageStatus = h("span", { id: "slot-message-status", class: "muted", role: "status" });
    this.subject = h("p", { id: "slot-subject", class: "preview-subject" });
    this.preview = h("pre", { id: "slot-preview", class: "preview-text", tabindex: "0", "aria-labelledby": "slot-preview-label" });

    this.offerOptions = new OfferOptions(() => handlers.onOfferChoice());
    this.offers = new OffersView((reference) => handlers.onWithdraw(reference));

    this.start = h("p", { id: "slot-start", class: "empty" }, "Pick a calendar and the days, then Find times.");
    this.workspace = h(
      "div",
      { class: "slot-workspace", hidden: true },
      h(
        "section",
        { class: "panel slot-times", "aria-labelledby": "slot-times-title" },
        h(
          "div",
          { class: "panel-head" },
          h("h2", { id: "slot-times-title" }, "Times"),
          h("div", { class: "segmented", role: "group", "aria-label": "Offer" }, this.modeSlots, this.modeAvailability),
        ),
        this.times.summary,
        this.times.results,
      ),
      h(
        "section",
        { class: "panel slot-message", "aria-labelledby": "slot-message-title" },
        h("div", { class: "panel-head" }, h("h2", { id: "slot-message-title" }, "Message")),
        h("div", { class: "field" }, h("label", { for: "slot-note" }, "Your words, put first"), this.note),
        h(
          "div",
          { class: "preview" },
          h("h3", { id: "slot-preview-label", class: "section-title" }, "Preview"),
          this.subject,
          this.preview,
        ),
        h(
          "div",
          { class: "field" },
          h("label", { for: "slot-recipient" }, "To"),
          this.recipient,
          h("p", { id: "slot-recipient-help", class: "help" }, "Optional: the draft can be addressed in Outlook. The copy and the draft carry the message formatted, with the same words."),
        ),
        this.offerOptions.el,
        h("div", { class: "message-actions" }, this.copyButton, this.draftButton, this.messageStatus),
        this.draftRefused,
      ),
    );

    this.el = h(
      "section",
      { id: "slots", class: "slots-screen", "aria-labelledby": "slots-title" },
      h(
        "div",
        { class: "toolbar" },
        h(
          "div",
          { class: "toolbar-title" },
          this.title,
          h("p", { class: "muted" }, "Offer times for a meeting from a calendar you work in. Only free/busy is read; a time is booked only when a reply to a message with reply links picks it."),
        ),
      ),
      this.form,
      this.errorBanner,
      this.noticeBanner,
      this.start,
      this.workspace,
      this.offers.el,
    );
    this.setOwnerZone(null, null);
    this.renderButtons();
  }

  focus(): void {
    this.title.focus();
  }

  // ------------------------------------------------------------------ the form

  /** The calendars of the picker; refused ones are listed, not selectable, with the reason. */
  setCalendars(calendars: SlotCalendar[], selected: string | null): void {
    this.calendars = calendars;
    fill(
      this.calendarSelect,
      ...calendars.map((c) =>
        h(
          "option",
          {
            value: c.owner,
            selected: c.owner === selected && c.verdict.allowed,
            disabled: !c.verdict.allowed,
            "data-allowed": String(c.verdict.allowed),
            title: c.owner,
          },
          calendarLabel(c),
        ),
      ),
    );
    const refused = calendars.filter((c) => !c.verdict.allowed);
    this.refused.hidden = refused.length === 0;
    fill(
      this.refused,
      h("p", { class: "refused-title" }, "Times cannot come from these calendars:"),
      h(
        "ul",
        {},
        ...refused.map((c) =>
          h(
            "li",
            { class: "slot-refused", "data-owner": c.owner, "data-unknown": String(Boolean(c.verdict.unknown)) },
            h("span", { class: "refused-name" }, c.owner_name),
            " ",
            h("span", { class: "reason", "data-field": "reason" }, c.verdict.reason ?? "You may not see its free/busy."),
          ),
        ),
      ),
    );
    this.renderOnBehalf();
  }

  /** The calendar picked, when it is one times may come from. */
  calendar(): SlotCalendar | null {
    const value = this.calendarSelect.value;
    return this.calendars.find((c) => c.owner === value && c.verdict.allowed) ?? null;
  }

  /** The rules last used on `owner`'s calendar. */
  setPrefs(p: SlotPrefs, owner: string): void {
    this.form.dataset.prefsFor = owner;
    this.duration.value = String(p.duration_minutes);
    this.increment.value = String(p.increment_minutes);
    this.bufferBefore.value = String(p.buffer_before_minutes);
    this.bufferAfter.value = String(p.buffer_after_minutes);
    this.notice.value = String(Math.round((p.minimum_notice_minutes / 60) * 100) / 100);
    this.maxPerDay.value = String(p.max_per_day);
    this.tentative.checked = p.tentative_is_busy;
    this.clearFieldErrors();
  }

  setDays(from: string, to: string): void {
    this.fromInput.value = from;
    this.toInput.value = to;
  }

  /** Whose zone an empty box means ("Olivia Grant's", "Your"), and the zone once a search
   * told it: suggested first and named in the box while it is empty. */
  setOwnerZone(whose: string | null, zone: string | null): void {
    fill(this.zoneList, ...zoneSuggestions(zone).map((z) => h("option", { value: z })));
    this.zoneInput.placeholder = `${whose ?? "The owner's"} zone${zone ? ` (${zone})` : ""}`;
  }

  /** What the form asks for, or null with the first problem on screen and focused. */
  read(): SlotForm | null {
    this.clearFieldErrors();
    const calendar = this.calendar();
    if (!calendar) return this.fieldError(this.calendarSelect, "Pick a calendar times may come from.");
    const numbers: NumberBox[] = [
      { input: this.duration, name: "the meeting length", min: 5, max: 1440 },
      { input: this.increment, name: "how often a time may start", min: 5, max: 1440 },
      { input: this.bufferBefore, name: "the free time before", min: 0, max: 1440 },
      { input: this.bufferAfter, name: "the free time after", min: 0, max: 1440 },
      { input: this.maxPerDay, name: "the times a day", min: 0, max: 96 },
    ];
    const values: number[] = [];
    for (const box of numbers) {
      const n = Number(box.input.value);
      if (box.input.value.trim() === "" || !Number.isInteger(n) || n < box.min || n > box.max) {
        if (box.input !== this.duration) this.openOptions();
        return this.fieldError(box.input, `Type a whole number from ${box.min} to ${box.max} for ${box.name}.`);
      }
      values.push(n);
    }
    const hours = Number(this.notice.value);
    if (this.notice.value.trim() === "" || !Number.isFinite(hours) || hours < 0 || hours > 1440) {
      this.openOptions();
      return this.fieldError(this.notice, "Type the notice in hours, from 0 to 1440.");
    }
    const from = this.fromInput.value;
    const to = this.toInput.value;
    if (!from) return this.fieldError(this.fromInput, "Choose the first day.");
    if (!to) return this.fieldError(this.toInput, "Choose the last day.");
    if (to < from) return this.fieldError(this.toInput, "The last day is before the first.");
    const withList = addressList(this.withInput.value);
    const bad = notAnAddress(withList);
    if (bad !== null) return this.fieldError(this.withInput, `"${bad}" is not an e-mail address.`);
    const [duration, increment, before, after, maxPerDay] = values as [number, number, number, number, number];
    const zone = this.zoneInput.value.trim();
    return {
      calendar,
      firstDay: from,
      lastDay: to,
      zone: zone === "" ? null : zone,
      with: withList,
      prefs: {
        duration_minutes: duration,
        increment_minutes: increment,
        buffer_before_minutes: before,
        buffer_after_minutes: after,
        minimum_notice_minutes: Math.round(hours * 60),
        max_per_day: maxPerDay,
        tentative_is_busy: this.tentative.checked,
      },
    };
  }

  /** The recipients typed for the draft. */
  recipientText(): string {
    return this.recipient.value;
  }

  /** The recipient box is wrong: say so there. */
  recipientError(text: string): void {
    this.recipient.setAttribute("aria-invalid", "true");
    fill(this.messageStatus, text);
    this.messageStatus.classList.add("error-text");
    this.recipient.focus();
  }

  /** Whether the offer carries reply links and holds its times. */
  offerChoice(): OfferChoice {
    return this.offerOptions.value();
  }

  noteText(): string {
    return this.note.value;
  }

  private fieldError(input: HTMLElement, text: string): null {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-errormessage", "slot-form-error");
    this.formError.hidden = false;
    fill(this.formError, text);
    input.focus();
    return null;
  }

  private clearFieldErrors(): void {
    this.formError.hidden = true;
    fill(this.formError);
    for (const el of this.form.querySelectorAll("[aria-invalid]")) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-errormessage");
    }
  }

  private openOptions(): void {
    this.form.querySelector<HTMLDetailsElement>("#slot-options")?.setAttribute("open", "");
  }

  /** "You are sending on behalf of …" for the calendar picked. */
  private renderOnBehalf(): void {
    const c = this.calendar();
    const words = c && !c.is_own ? onBehalfText(c.owner_name, c.send_on_behalf) : null;
    this.onBehalf.hidden = words === null;
    fill(this.onBehalf, words?.text ?? "");
    if (c) this.onBehalf.dataset.send = c.send_on_behalf;
  }

  calendarChanged(): void {
    this.renderOnBehalf();
  }

  // ------------------------------------------------------------------ progress and banners

  /** Finding times: the progress line says so and Find waits. */
  setFinding(text: string | null): void {
    this.finding = text !== null;
    this.progress.set(text);
    this.el.setAttribute("aria-busy", String(text !== null));
    this.renderButtons();
  }

  /** Copying or making a draft: the message's buttons wait, and the line beside them says why. */
  setMessageBusy(text: string | null): void {
    this.messageBusy = text !== null;
    this.messageStatus.classList.remove("error-text");
    this.recipient.removeAttribute("aria-invalid");
    fill(this.messageStatus, text ?? "");
    this.renderButtons();
  }

  /** Copying or making a draft is done: a word beside the buttons (the banner says more). */
  messageDone(text: string): void {
    this.setMessageBusy(null);
    fill(this.messageStatus, text);
  }

  setError(error: ServiceError | null): void {
    showError(this.errorBanner, error, this.handlers, "Dismiss", { signInAgain: "slot-sign-in-again", openSettings: "slot-open-settings" });
    if (error) {
      this.noticeBanner.hidden = true;
      this.errorBanner.scrollIntoView({ block: "nearest" });
    }
  }

  setNotice(text: string | null): void {
    showNotice(this.noticeBanner, text, "Dismiss", { text: "slot-notice-text" });
    if (text !== null) this.noticeBanner.scrollIntoView({ block: "nearest" });
  }

  // ------------------------------------------------------------------ results and message

  /** The search to show (null: none, the list is cleared), the times picked in it, how it is
   * offered, and why a draft cannot be made from its calendar (null: it can). */
  setResult(found: SlotsFound | null, picked: Set<number>, mode: SlotMode, draftRefusal: string | null): void {
    this.found = found;
    this.mode = mode;
    this.draftRefusal = draftRefusal;
    this.start.hidden = found !== null;
    this.workspace.hidden = found === null;
    if (found === null) this.setPreview(null);
    this.times.set(found, picked, mode);
    this.renderButtons();
  }

  /** A time was picked or let go: its chip and the summary say so; the list stays. */
  pickedChanged(picked: Set<number>): void {
    this.times.pickedChanged(picked);
  }

  setPreview(composed: ComposedMessage | null): void {
    this.composed = composed !== null;
    fill(this.subject, composed ? h("span", { class: "muted" }, "Subject: ") : null, composed?.message.subject ?? "");
    fill(this.preview, composed?.message.text ?? "");
    this.renderButtons();
  }

  private renderButtons(): void {
    const ready = this.found !== null && this.composed && !this.messageBusy;
    this.findButton.disabled = this.finding;
    this.copyButton.disabled = !ready;
    this.draftButton.disabled = !ready || this.draftRefusal !== null;
    this.draftRefused.hidden = this.draftRefusal === null || this.found === null;
    fill(this.draftRefused, this.draftRefusal ?? "");
    if (this.draftRefusal) this.draftButton.setAttribute("aria-describedby", "slot-draft-refused");
    else this.draftButton.removeAttribute("aria-describedby");
    this.offerOptions.setShown(this.mode === "slots");
    this.modeSlots.setAttribute("aria-pressed", String(this.mode === "slots"));
    this.modeAvailability.setAttribute("aria-pressed", String(this.mode === "availability"));
  }
}

/** A calendar as the picker names it: by its owner (the address is the option's tooltip). */
function calendarLabel(c: SlotCalendar): string {
  if (c.is_own) return "Your own calendar";
  return c.verdict.allowed ? c.owner_name : `${c.owner_name}: not available`;
}

function numberInput(id: string, min: number, max: number, step: number): HTMLInputElement {
  return h("input", { id, type: "number", inputmode: "numeric", class: "number", min, max, step });
}

function control(id: string, label: string, input: HTMLElement, kind: "picker" | "zone" | "grow" | null = null): HTMLElement {
  return h("div", { class: kind ? `control ${kind}` : "control" }, h("label", { for: id }, label), input);
}

function option(id: string, label: string, input: HTMLInputElement, unit: string): HTMLElement {
  return h(
    "div",
    { class: "slot-option" },
    h("label", { for: id }, label),
    h("div", { class: "field-row inline" }, input, h("span", { class: "muted" }, unit)),
  );
}
