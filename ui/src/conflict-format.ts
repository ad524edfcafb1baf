// Conflicts and what merges overwrote, in words: field names, which side, a field's value as a
// person reads it (a time as a day and hours in the user's time zone).

import type { Field, Winner } from "./ipc";
import { dayHeading, dayOf, timeText, type Timing } from "./share-format.js";

export const FIELD_LABELS: Record<Field, string> = {
  subject: "Subject",
  location: "Location",
  body: "Description",
  time: "Time",
  show_as: "Shown as",
};

/** "Outlook" or "the CRM". */
export function sideName(side: Winner): string {
  return side === "exchange" ? "Outlook" : "the CRM";
}

/** "Tuesday 3 March 2026, 10:00–11:00", or "…, All day". */
export function whenText(when: Timing, timeZone?: string): string {
  return `${dayHeading(dayOf(when, timeZone))}, ${timeText(when, timeZone)}`;
}

/** A field's value as the Rust side sends it (`start – end` for a time), for a person. */
export function valueText(field: Field, value: string, timeZone?: string): string {
  switch (field) {
    case "time": {
      const timing = parseTiming(value);
      return timing ? whenText(timing, timeZone) : value;
    }
    case "show_as":
      return value === "busy" ? "Busy" : value === "free" ? "Free" : value;
    case "subject":
    case "location":
    case "body":
      return value.trim() === "" ? "(empty)" : value;
  }
}

/** `2026-03-03T10:00:00+00:00 – 2026-03-03T11:00:00+00:00` or `2026-03-03 – 2026-03-04`. */
export function parseTiming(value: string): Timing | null {
  const [start, end, ...rest] = value.split(" – ");
  if (!start || !end || rest.length > 0) return null;
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (day.test(start) && day.test(end)) return { start, end, all_day: true };
  if (Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end))) return null;
  return { start, end, all_day: false };
}

/** "time", "location and time", "subject, location and time". */
export function listText(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** "1 item waits for your decision", "2 items wait for your decision". */
export function waitingText(n: number): string {
  return n === 1 ? "1 item waits for your decision" : `${n} items wait for your decision`;
}
