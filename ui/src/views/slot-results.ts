// The times found, by the recipient's days: each a chip to pick, a picked one numbered as the
// message numbers it; or, for availability, the free stretches of each day; with a line that
// says how many there are, how long, with whom and in which zone.

import { fill, h } from "../dom";
import type { DayFree, SlotsFound } from "../ipc";
import {
  count,
  lengthText,
  messageNumbers,
  nothingFreeText,
  offsetLabel,
  slotDayHeading,
  slotRange,
  slotsByDay,
  slotsSummary,
  type NumberedSlot,
} from "../slot-format";
import type { SlotMode } from "./slots";

export class SlotResults {
  readonly summary: HTMLElement;
  readonly results: HTMLElement;
  private found: SlotsFound | null = null;
  private picked = new Set<number>();
  private mode: SlotMode = "slots";

  constructor(private readonly onPick: (number: number, picked: boolean) => void) {
    this.summary = h("p", { id: "slot-summary", class: "muted", "aria-live": "polite" });
    this.results = h("div", { id: "slot-results", class: "slot-results" });
  }

  /** The search to show (null: none), the times picked in it, and how it is offered. */
  set(found: SlotsFound | null, picked: Set<number>, mode: SlotMode): void {
    this.found = found;
    this.picked = picked;
    this.mode = mode;
    this.renderResults();
  }

  /** A time was picked or let go: its chip and the summary say so; the list stays. */
  pickedChanged(picked: Set<number>): void {
    this.picked = picked;
    const numbers = messageNumbers(picked);
    for (const li of this.results.querySelectorAll<HTMLElement>(".slot-entry")) {
      const n = numbers.get(Number(li.dataset.number));
      li.dataset.picked = String(n !== undefined);
      const badge = li.querySelector(".slot-number");
      if (badge) fill(badge, n === undefined ? "" : String(n));
    }
    this.renderSummary();
  }

  private renderSummary(): void {
    const found = this.found;
    if (!found) {
      fill(this.summary);
      return;
    }
    const what =
      this.mode === "slots"
        ? slotsSummary(found.slots.length, [...this.picked].filter((n) => n <= found.slots.length).length)
        : `${count(found.free.filter((d) => d.free.length > 0).length, "day", "days")} with free time`;
    fill(
      this.summary,
      `${what}. ${lengthText(found.duration_minutes)} with ${found.owner.name}`,
      found.with.length > 0 ? ` and ${count(found.with.length, "other", "others")}` : "",
      `, in ${found.recipient_zone_name} time.`,
    );
  }

  private renderResults(): void {
    this.renderSummary();
    const found = this.found;
    if (!found) {
      fill(this.results);
      return;
    }
    const thisYear = new Date().getFullYear();
    const nothing = () =>
      h("p", { id: "slot-empty", class: "empty" }, nothingFreeText(found.owner.name, found.duration_minutes, found.first_day, found.last_day, thisYear));
    if (this.mode === "slots") {
      const days = slotsByDay(found.slots);
      const numbers = messageNumbers(this.picked);
      fill(this.results, ...(days.length === 0 ? [nothing()] : days.map((d) => this.slotDay(d.day, d.slots, numbers, thisYear))));
      return;
    }
    const days = found.free.filter((d) => d.free.length > 0);
    fill(this.results, ...(days.length === 0 ? [nothing()] : days.map((d) => this.freeDay(d, thisYear))));
  }

  private dayHead(day: string, firstTime: string, thisYear: number): HTMLElement {
    return h(
      "h3",
      { class: "slot-day", id: `slot-day-${day}` },
      slotDayHeading(day, thisYear),
      h("span", { class: "slot-offset" }, offsetLabel(firstTime)),
    );
  }

  /** A day's times, each a chip to pick; a picked one shows the number the message gives it. */
  private slotDay(day: string, slots: NumberedSlot[], numbers: Map<number, number>, thisYear: number): HTMLElement {
    return h(
      "section",
      { class: "slot-group", "data-day": day, "aria-labelledby": `slot-day-${day}` },
      this.dayHead(day, slots[0]?.slot.start ?? "", thisYear),
      h(
        "ul",
        { class: "slot-chips" },
        ...slots.map(({ number, slot }) => {
          const id = `slot-pick-${number}`;
          const box = h("input", { id, type: "checkbox", checked: this.picked.has(number), "data-number": number });
          box.addEventListener("change", () => this.onPick(number, box.checked));
          return h(
            "li",
            {
              class: "slot-entry",
              "data-number": number,
              "data-start": slot.start,
              "data-end": slot.end,
              "data-picked": String(this.picked.has(number)),
            },
            box,
            h("label", { for: id }, h("span", { class: "slot-number", "aria-hidden": "true" }, String(numbers.get(number) ?? "")), slotRange(slot)),
          );
        }),
      ),
    );
  }

  private freeDay(d: DayFree, thisYear: number): HTMLElement {
    return h(
      "section",
      { class: "slot-group", "data-day": d.day, "aria-labelledby": `slot-day-${d.day}` },
      this.dayHead(d.day, d.free[0]?.start ?? "", thisYear),
      h(
        "ul",
        { class: "slot-chips" },
        ...d.free.map((s) => h("li", { class: "free-entry", "data-start": s.start, "data-end": s.end }, slotRange(s))),
      ),
    );
  }
}
