// Settings' sync section: how often it runs, insta-sync, the window, the conflict winner, the
// share category, private sync (only when the administrator allows it), per owner whether this
// computer creates their CRM events directly, and which problems raise a notification. A
// setting the administrator locked is shown, disabled, with who set it.

import { fill, h } from "../dom";
import type { NoticeKind, ServiceError, SettingLock, SyncSettings, SyncSettingsState, Winner } from "../ipc";
import type { SyncedCalendar } from "../synced-calendars";

export interface SyncSettingsHandlers {
  onSave: (settings: SyncSettings) => void;
}

export class SyncSettingsSection {
  readonly el: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly save: HTMLButtonElement;
  private state: SyncSettingsState | null = null;
  private owners: SyncedCalendar[] = [];

  constructor(handlers: SyncSettingsHandlers) {
    this.body = h("div", { class: "settings-fields" }, h("p", { class: "muted" }, "Reading the sync settings…"));
    this.status = h("p", { id: "sync-settings-status", class: "muted", role: "status" });
    this.error = h("p", { id: "sync-settings-error", class: "error-text", role: "alert", hidden: true });
    this.save = h("button", { id: "sync-settings-save", type: "submit", class: "primary", disabled: true }, "Save");
    this.form = h(
      "form",
      { id: "sync-settings", class: "sync-settings", novalidate: true },
      this.body,
      this.error,
      h("div", { class: "crm-actions" }, this.save, this.status),
    );
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      const settings = this.read();
      if (settings) handlers.onSave(settings);
    });
    this.form.addEventListener("input", () => fill(this.status));
    this.el = h(
      "section",
      { id: "sync-section", class: "panel settings-panel", "aria-labelledby": "sync-settings-title" },
      h(
        "div",
        { class: "panel-head" },
        h(
          "div",
          { class: "panel-title" },
          h("h2", { id: "sync-settings-title" }, "Sync"),
          h("p", { class: "muted" }, "How Onbehalf carries shared items between Outlook and the CRM. Turn sync on or off from the line under the header."),
        ),
      ),
      this.form,
    );
  }

  /** The settings kept, and what the administrator allows. */
  set(state: SyncSettingsState): void {
    this.state = state;
    this.render();
  }

  /** The owners whose calendars the sync covers, for direct share. Only that list is drawn
   * again, with the boxes ticked as they are on screen: what is being typed elsewhere stays. */
  setOwners(owners: SyncedCalendar[]): void {
    const listed = owners.filter((o) => o.owner !== null);
    const same =
      listed.length === this.owners.length && listed.every((o, i) => o.address === this.owners[i]?.address);
    this.owners = listed;
    const shown = this.form.querySelector("#direct-share");
    if (same || !this.state || !shown) return;
    const ticked = this.directShareChosen() ?? this.state.view.settings.direct_share;
    shown.replaceWith(this.directShare(ticked));
  }

  setSaving(saving: boolean): void {
    this.save.disabled = saving || this.state === null;
    fill(this.status, saving ? "Saving…" : "");
    if (saving) this.error.hidden = true;
  }

  saved(state: SyncSettingsState): void {
    this.set(state);
    fill(this.status, "Saved.");
  }

  setError(error: ServiceError | null): void {
    this.error.hidden = error === null;
    fill(this.error, error?.message ?? "");
  }

  // ------------------------------------------------------------------ form

  private render(): void {
    const state = this.state;
    if (!state) return;
    const view = state.view;
    const s = view.settings;
    const lock = (field: string): SettingLock | null => view.locks.find((l) => l.field === field) ?? null;
    const bounds =
      view.interval_min > 1 || view.interval_max < 1440
        ? ` Your administrator allows ${view.interval_min} to ${view.interval_max} minutes.`
        : "";
    this.save.disabled = false;
    fill(
      this.body,
      locked(
        numberField("sync-interval", "Sync every", s.interval_minutes, view.interval_min, view.interval_max, "minutes", `How often the full sync runs.${bounds}`),
        lock("interval_minutes"),
      ),
      numberField(
        "sync-watch",
        "Check owners' calendars every",
        s.watch_minutes,
        1,
        1440,
        "minutes",
        "How often the calendars of the owners you work for are read for changes.",
      ),
      locked(
        checkField(
          "sync-insta",
          "Insta-sync",
          s.insta_sync,
          "Send a share or a change made in Onbehalf to the CRM at once, not at the next sync.",
        ),
        lock("insta_sync"),
      ),
      h(
        "div",
        { class: "field", role: "group", "aria-labelledby": "sync-window-label" },
        h("span", { id: "sync-window-label", class: "group-label" }, "Window"),
        h(
          "div",
          { class: "field-row inline" },
          numberInput("sync-days-back", s.days_back, 0, 365),
          h("label", { for: "sync-days-back" }, "days back"),
          numberInput("sync-days-ahead", s.days_ahead, 1, 730),
          h("label", { for: "sync-days-ahead" }, "days ahead"),
        ),
        h("p", { class: "help" }, "The items the sync looks at, around today."),
      ),
      locked(
        h(
          "div",
          { class: "field" },
          h("label", { for: "sync-category" }, "Share category"),
          h("input", { id: "sync-category", type: "text", value: s.share_category, maxlength: 255, "aria-describedby": "sync-category-help" }),
          h("p", { id: "sync-category-help", class: "help" }, "Giving an item this Outlook category shares it to the CRM."),
        ),
        lock("share_category"),
      ),
      h(
        "div",
        { class: "field", role: "radiogroup", "aria-labelledby": "sync-winner-label" },
        h("span", { id: "sync-winner-label", class: "group-label" }, "When a field changed in both since the last sync"),
        radio("sync-winner", "exchange", s.winner, "Outlook's value wins"),
        radio("sync-winner", "crm", s.winner, "The CRM's value wins"),
        h("p", { class: "help" }, "Fields changed on one side only are always kept."),
      ),
      locked(
        checkField(
          "sync-from-crm",
          "Bring events I make in the CRM into Outlook",
          s.crm_to_exchange,
          "Events you own that were made in the CRM appear in your calendar as appointments, linked to them. Nobody is invited, so nobody is mailed.",
        ),
        lock("crm_to_exchange"),
      ),
      view.private_sync_allowed
        ? locked(
            checkField(
              "sync-private",
              "Sync private items",
              s.private_sync,
              "Your administrator allows it. They are private in the CRM too, and cannot be linked to records there.",
            ),
            lock("private_sync"),
          )
        : h(
            "p",
            { id: "sync-private-off", class: "help locked-note" },
            lock("private_sync")?.reason ?? "Private items are not synced.",
          ),
      view.direct_share_allowed
        ? this.directShare(s.direct_share)
        : h("p", { id: "direct-share-off", class: "help locked-note" }, lock("direct_share")?.reason ?? ""),
      locked(this.notifications(state), lock("quiet_kinds")),
    );
  }

  /** When a service out of reach becomes a problem, and which kinds of problem notify. */
  private notifications(state: SyncSettingsState): HTMLElement {
    const s = state.view.settings;
    const quiet = new Set(s.quiet_kinds);
    return h(
      "div",
      { class: "field", id: "notify-kinds", role: "group", "aria-labelledby": "notify-kinds-label" },
      h("span", { id: "notify-kinds-label", class: "group-label" }, "Notifications"),
      h(
        "p",
        { class: "help" },
        "Each problem is told once, when it starts; a problem that kept a share from being made is told again when it is over. " +
          "Problems you do not hear about are still listed under Problems. Your computer's do-not-disturb applies.",
      ),
      ...state.notice_kinds.map((k) =>
        h(
          "div",
          { class: "checkbox-row" },
          h("input", { id: `notify-${k.kind}`, type: "checkbox", "data-kind": k.kind, checked: !quiet.has(k.kind) }),
          h("label", { for: `notify-${k.kind}` }, k.label),
        ),
      ),
      h(
        "div",
        { class: "field-row inline" },
        h("label", { for: "sync-problem-after" }, "Tell me when Microsoft 365 or the CRM is out of reach for"),
        numberInput("sync-problem-after", s.problem_after_minutes, 0, 1440),
        h("span", { class: "muted" }, "minutes"),
      ),
      h("p", { class: "help" }, "Shorter outages are retried without a word."),
    );
  }

  /** The owners ticked on screen, with those no longer listed kept as they were. */
  private directShareChosen(): string[] | null {
    const state = this.state;
    if (!state) return null;
    const boxes = [...this.form.querySelectorAll<HTMLInputElement>("#direct-share input[type='checkbox']")];
    const listed = new Set(boxes.map((d) => d.dataset.owner ?? ""));
    const kept = state.view.settings.direct_share.filter((a) => !listed.has(a.toLowerCase()));
    return [...kept, ...boxes.filter((d) => d.checked).map((d) => d.dataset.owner ?? "")].filter((a) => a);
  }

  private directShare(ticked: string[]): HTMLElement {
    const chosen = new Set(ticked.map((a) => a.toLowerCase()));
    return h(
      "div",
      { class: "field", id: "direct-share", role: "group", "aria-labelledby": "direct-share-label" },
      h("span", { id: "direct-share-label", class: "group-label" }, "Direct share"),
      h(
        "p",
        { class: "help" },
        "An owner's Onbehalf saves the items you share for them. With direct share, this computer saves them itself, with the owner as the CRM owner, when your CRM user may add events to their CRM calendar.",
      ),
      ...(this.owners.length === 0
        ? [h("p", { class: "muted" }, "The sync covers no owner's calendar.")]
        : this.owners.map((o, i) =>
            h(
              "div",
              { class: "checkbox-row" },
              h("input", {
                id: `direct-share-${i}`,
                type: "checkbox",
                "data-owner": o.address.toLowerCase(),
                checked: chosen.has(o.address.toLowerCase()),
              }),
              h("label", { for: `direct-share-${i}` }, `${o.ownerName} (${o.address})`),
            ),
          )),
    );
  }

  /** The settings on screen, or null (and why, on screen) when a number is not one. */
  private read(): SyncSettings | null {
    const state = this.state;
    if (!state) return null;
    const value = (id: string) => this.form.querySelector<HTMLInputElement>(`#${id}`);
    const numbers: [string, string][] = [
      ["sync-interval", "the sync interval"],
      ["sync-watch", "the interval for owners' calendars"],
      ["sync-days-back", "the days back"],
      ["sync-days-ahead", "the days ahead"],
      ["sync-problem-after", "the minutes out of reach"],
    ];
    const parsed: number[] = [];
    for (const [id, name] of numbers) {
      const n = Number(value(id)?.value ?? "");
      if (!Number.isInteger(n) || n < 0) {
        this.setError({ code: "other", message: `Type a whole number for ${name}.` });
        value(id)?.focus();
        return null;
      }
      parsed.push(n);
    }
    const [interval, watch, back, ahead, problemAfter] = parsed as [number, number, number, number, number];
    const quietKinds = [...this.form.querySelectorAll<HTMLInputElement>("#notify-kinds input[type='checkbox']")]
      .filter((box) => !box.checked)
      .map((box) => box.dataset.kind as NoticeKind);
    const winner = (this.form.querySelector<HTMLInputElement>("input[name='sync-winner']:checked")?.value ?? "exchange") as Winner;
    const kept = state.view.settings;
    return {
      ...kept,
      interval_minutes: interval,
      watch_minutes: watch,
      insta_sync: value("sync-insta")?.checked ?? kept.insta_sync,
      days_back: back,
      days_ahead: ahead,
      share_category: value("sync-category")?.value.trim() ?? kept.share_category,
      winner,
      private_sync: value("sync-private")?.checked ?? kept.private_sync,
      crm_to_exchange: value("sync-from-crm")?.checked ?? kept.crm_to_exchange,
      direct_share: state.view.direct_share_allowed ? (this.directShareChosen() ?? kept.direct_share) : kept.direct_share,
      problem_after_minutes: problemAfter,
      quiet_kinds: quietKinds,
    };
  }
}

/** `field` as it is, or, when the administrator locked it, with its inputs disabled and who
 * set it under it. */
function locked(field: HTMLElement, lock: SettingLock | null): HTMLElement {
  if (!lock) return field;
  field.classList.add("locked");
  field.dataset.locked = "true";
  for (const input of field.querySelectorAll<HTMLInputElement>("input")) input.disabled = true;
  field.append(h("p", { class: "help locked-note", "data-field": "lock" }, lock.reason));
  return field;
}

function numberInput(id: string, value: number, min: number, max: number): HTMLInputElement {
  return h("input", { id, type: "number", inputmode: "numeric", class: "number", value, min, max, step: 1 });
}

function numberField(id: string, label: string, value: number, min: number, max: number, unit: string, help: string): HTMLElement {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("div", { class: "field-row inline" }, numberInput(id, value, min, max), h("span", { class: "muted" }, unit)),
    h("p", { class: "help" }, help),
  );
}

function checkField(id: string, label: string, checked: boolean, help: string): HTMLElement {
  return h(
    "div",
    { class: "field checkbox-row" },
    h("input", { id, type: "checkbox", checked, "aria-describedby": `${id}-help` }),
    h("div", {}, h("label", { for: id }, label), h("p", { id: `${id}-help`, class: "help" }, help)),
  );
}

function radio(name: string, value: Winner, current: Winner, label: string): HTMLElement {
  const id = `${name}-${value}`;
  return h(
    "div",
    { class: "checkbox-row" },
    h("input", { id, type: "radio", name, value, checked: value === current }),
    h("label", { for: id }, label),
  );
}
