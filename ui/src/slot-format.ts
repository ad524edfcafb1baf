// Words and numbers for the Time slots screen (`npm test`): the week offered before anything is
// chosen, the days and times of the slots as the recipient reads them, and what the picker says
// about writing on someone's behalf. The Rust side writes every time with the recipient's
// offset, so a time's day and clock are read from the text itself, whatever this computer's
// zone is.

import type { OfferView } from "./bindings/OfferView";
import type { SendOnBehalf } from "./bindings/SendOnBehalf";
import type { Slot } from "./bindings/Slot";

/** The zones offered in the zone box besides the owner's, in the order listed. */
export const COMMON_ZONES: readonly string[] = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
  "UTC",
];

/** YYYY-MM-DD of a local date. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The days offered before any are chosen: the next Monday after `today` to the Friday after
 * it (on a Monday, the Monday a week later). */
export function nextWeek(today: Date): { from: string; to: string } {
  const toMonday = (8 - today.getDay()) % 7 || 7;
  const day = (plus: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate() + plus);
  return { from: isoDate(day(toMonday)), to: isoDate(day(toMonday + 4)) };
}

/** The recipient's day of a time ("2026-03-09"). */
export function localDay(time: string): string {
  return time.slice(0, 10);
}

/** The recipient's clock at a time ("09:00"). */
export function localClock(time: string): string {
  return time.slice(11, 16);
}

/** "09:00–09:45", or "23:30–00:15 next day" when the end falls on the next day. */
export function slotRange(slot: Slot): string {
  const end = localClock(slot.end);
  return localDay(slot.end) === localDay(slot.start)
    ? `${localClock(slot.start)}–${end}`
    : `${localClock(slot.start)}–${end} next day`;
}

/** The offset a time was written with, as the message says it ("UTC−05:00", "UTC"). */
export function offsetLabel(time: string): string {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(time);
  if (!m || (m[2] === "00" && m[3] === "00")) return "UTC";
  return `UTC${m[1] === "-" ? "−" : "+"}${m[2]}:${m[3]}`;
}

/** "Monday 9 March" for a YYYY-MM-DD day; the year is added when it is not `thisYear`. */
export function slotDayHeading(day: string, thisYear: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const heading = `${part("weekday")} ${part("day")} ${part("month")}`;
  return y === thisYear ? heading : `${heading} ${part("year")}`;
}

/** A slot with its number in the search's list (from 1), as the message numbers it. */
export interface NumberedSlot {
  number: number;
  slot: Slot;
}

/** The slots by the recipient's day, in the order found, each keeping its number. */
export function slotsByDay(slots: Slot[]): { day: string; slots: NumberedSlot[] }[] {
  const days: { day: string; slots: NumberedSlot[] }[] = [];
  slots.forEach((slot, i) => {
    const day = localDay(slot.start);
    const last = days[days.length - 1];
    const entry = { number: i + 1, slot };
    if (last && last.day === day) last.slots.push(entry);
    else days.push({ day, slots: [entry] });
  });
  return days;
}

/** The number each picked time has in the message (the message numbers the times it offers
 * from 1, in the order found), by its number in the search. */
export function messageNumbers(picked: Iterable<number>): Map<number, number> {
  return new Map([...new Set(picked)].sort((a, b) => a - b).map((n, i) => [n, i + 1]));
}

/** "45 minutes", "1 hour", "1 hour 30 minutes". */
export function lengthText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const h = hours === 0 ? "" : `${hours} hour${hours === 1 ? "" : "s"}`;
  const m = rest === 0 ? "" : `${rest} minute${rest === 1 ? "" : "s"}`;
  return [h, m].filter(Boolean).join(" ") || "0 minutes";
}

/** The addresses typed in a box, separated by commas, semicolons or spaces. */
export function addressList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

/** The first of `addresses` that is not an e-mail address, if any. */
export function notAnAddress(addresses: string[]): string | null {
  return addresses.find((a) => !/^[^@\s]+@[^@\s]+$/.test(a)) ?? null;
}

/** "3 times", "1 day". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the list shows, above it: how many times were found and how many are picked. */
export function slotsSummary(found: number, picked: number): string {
  if (found === 0) return "No times found";
  if (picked === 0) return `${count(found, "time", "times")} found · none picked: the message offers all of them`;
  return `${count(found, "time", "times")} found · ${picked} picked`;
}

/** What Copy put on the clipboard, and what waits for the reply (`held`: times held). */
export function copiedText(n: number, availability: boolean, replyLinks = false, held = 0): string {
  const what = availability ? `listing free time on ${count(n, "day", "days")}` : `offering ${count(n, "time", "times")}`;
  const copied = `The message ${what} is on the clipboard, formatted and as plain text: paste it into a mail.`;
  const booking = replyLinks ? " A reply that picks a time books it." : "";
  const holding = held > 0 ? ` ${count(held, "time is", "times are")} held on the calendar until then.` : "";
  return copied + booking + holding;
}

/** Where no time is free: who, how long, and which days. */
export function nothingFreeText(ownerName: string, minutes: number, firstDay: string, lastDay: string, thisYear: number): string {
  const first = slotDayHeading(firstDay, thisYear);
  const period = firstDay === lastDay ? `on ${first}` : `between ${first} and ${slotDayHeading(lastDay, thisYear)}`;
  return `${ownerName} has no free time for a meeting of ${lengthText(minutes)} ${period}. Try other days, a shorter meeting or fewer people.`;
}

/** What the screen says about writing for the calendar's owner, and why a draft cannot be made
 * when it cannot. Nothing for your own calendar. */
export function onBehalfText(ownerName: string, send: SendOnBehalf): { text: string; draftRefused: string | null } | null {
  const sending = `You are sending on behalf of ${ownerName}.`;
  switch (send) {
    case "not_needed":
      return null;
    case "granted":
      return { text: `${sending} Recipients see the message from you on behalf of ${ownerName}.`, draftRefused: null };
    case "not_granted":
      return {
        text:
          `${sending} You do not have the right to send mail on behalf of ${ownerName}: copy the message and send it yourself, ` +
          `or ask ${ownerName} to give you the right in Outlook (File › Account Settings › Delegate Access).`,
        draftRefused: `A draft from ${ownerName} needs the right to send on their behalf, which you do not have.`,
      };
    case "not_proven":
      return {
        text: `${sending} Nothing Onbehalf can read says whether you may send on their behalf: Exchange decides when the message is sent.`,
        draftRefused: null,
      };
  }
}

/** The zones to suggest: the owner's first when known, then the common ones, each once. */
export function zoneSuggestions(ownerZone: string | null): string[] {
  return [...new Set([...(ownerZone ? [ownerZone] : []), ...COMMON_ZONES])];
}

/** The IANA name inside a zone the Rust side sent, when it is one (`{ "iana": "…" }`); the
 * zone is otherwise opaque here, so anything else gives null. */
export function ianaName(zone: unknown): string | null {
  if (typeof zone !== "object" || zone === null || !("iana" in zone)) return null;
  const name = (zone as { iana: unknown }).iana;
  return typeof name === "string" && name.length > 0 ? name : null;
}

/** What became of an offer, in a line: to whom, how many times, held, booked or ended. */
export function offerState(o: OfferView): string {
  const to = o.to.length > 0 ? ` to ${o.to.join(", ")}` : "";
  const times = count(o.slots.length, "time", "times");
  switch (o.state) {
    case "open": {
      const held = o.holds > 0 ? `, ${o.holds} held` : "";
      return `Waiting for a reply${to}: ${times}${held}.`;
    }
    case "booked": {
      const when = o.booked_start ? ` ${localDay(o.booked_start)} ${localClock(o.booked_start)}` : "";
      return `Booked${when}${o.booked_with ? ` with ${o.booked_with}` : ""}.`;
    }
    case "withdrawn":
      return `Withdrawn${to}; its holds were released.`;
    default:
      return `Ended${to} without a reply.`;
  }
}
