// Words for sharing and sync: an item's share state and time, CRM records, what the first sync
// will do, and where the sync stands. Records keyed by the generated union types, so a new
// state or kind fails to compile until it has words here.

import type { CrmRecord, ItemView, RecordKind, ShareState, SyncRun, SyncStatus } from "./ipc";

export const SHARE_LABELS: Record<ShareState, string> = {
  none: "Not shared",
  pending: "Pending",
  shared: "Shared",
  problem: "Problem",
};

export const RECORD_KIND_LABELS: Record<RecordKind, string> = {
  contact: "Contact",
  lead: "Lead",
  account: "Account",
  opportunity: "Opportunity",
  case: "Case",
};

/** A contact or a lead: the record a share links as the person the meeting is with. */
export function isPerson(kind: RecordKind): boolean {
  switch (kind) {
    case "contact":
    case "lead":
      return true;
    case "account":
    case "opportunity":
    case "case":
      return false;
  }
}

/** What tells a record apart from others of the same name. */
export function recordDetail(r: CrmRecord): string {
  const parts: string[] = [];
  if (r.number) parts.push(`No. ${r.number}`);
  if (r.email) parts.push(r.email);
  if (r.account && r.account !== r.name) parts.push(r.account);
  if (r.stage) parts.push(r.stage);
  return parts.join(" · ");
}

/** "1 share", "3 shares". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// The first sync's steps, as the engine names them, in the order a person reads them.
const STEP_WORDS: readonly (readonly [string, string])[] = [
  ["create_in_crm", "create in the CRM"],
  ["link", "link"],
  ["update_in_crm", "update in the CRM"],
  ["update_in_exchange", "update in Outlook"],
  ["unlink", "unlink"],
  ["delete_in_crm", "delete in the CRM"],
  ["forget", "forget"],
  ["overwritten", "decide fields changed on both sides"],
  ["conflict", "set aside as conflicts"],
  ["problem", "report as problems"],
];

/** Each planned step with its count, known steps first, in reading order. */
export function previewSteps(run: SyncRun): { step: string; words: string; n: number }[] {
  const planned = run.report.planned;
  const known = new Set(STEP_WORDS.map(([step]) => step));
  const steps = STEP_WORDS.map(([step, words]) => ({ step, words, n: planned[step] ?? 0 }));
  for (const [step, n] of Object.entries(planned)) {
    if (!known.has(step)) steps.push({ step, words: step.replace(/_/g, " "), n: n ?? 0 });
  }
  return steps.filter((s) => s.n > 0);
}

/** "The first sync will: create in the CRM 3, link 1." */
export function previewText(run: SyncRun): string {
  const steps = previewSteps(run);
  if (steps.length === 0) return "The first sync will change nothing.";
  return `The first sync will: ${steps.map((s) => `${s.words} ${s.n}`).join(", ")}.`;
}

/** The sync's state in one word, for styling and tests. */
export type SyncState = "off" | "on" | "running" | "stopped";

export function syncState(s: SyncStatus): SyncState {
  if (s.loop.running) return "running";
  if (!s.on) return "off";
  return s.loop.last_error ? "stopped" : "on";
}

export function syncHeadline(state: SyncState): string {
  switch (state) {
    case "off":
      return "Sync is off";
    case "on":
      return "Sync is on";
    case "running":
      return "Syncing…";
    case "stopped":
      return "Sync stopped";
  }
}

/** The counts the status line reads out: shares waiting (problems and conflicts have a
 * button each, to their views). */
export function syncCounts(s: SyncStatus): string[] {
  const out: string[] = [];
  if (s.waiting > 0) out.push(`${count(s.waiting, "share", "shares")} waiting`);
  return out;
}

/** When something happens, as the Rust side says it (an item, a conflict, a merge). */
export type Timing = Pick<ItemView, "start" | "end" | "all_day">;

/** The local calendar day an item starts on, as YYYY-MM-DD. */
export function dayOf(item: Timing, timeZone?: string): string {
  if (item.all_day) return item.start;
  return isoDay(new Date(item.start), timeZone);
}

export function isoDay(date: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** "Monday 2 March 2026" for a YYYY-MM-DD day. */
export function dayHeading(day: string): string {
  const p = dayParts(day, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** The named parts of a YYYY-MM-DD day, put together here so every engine words it alike. */
function dayParts(day: string, options: Intl.DateTimeFormatOptions): Partial<Record<Intl.DateTimeFormatPartTypes, string>> {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...options }).formatToParts(date);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** "09:00–10:30", "All day", or "All day, until 12 March". */
export function timeText(item: Timing, timeZone?: string): string {
  if (item.all_day) {
    return item.end === item.start ? "All day" : `All day, until ${shortDay(item.end)}`;
  }
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" });
  const start = new Date(item.start);
  const end = new Date(item.end);
  const sameDay = isoDay(start, timeZone) === isoDay(end, timeZone);
  const endText = sameDay ? time.format(end) : `${shortDay(isoDay(end, timeZone))} ${time.format(end)}`;
  return `${time.format(start)}–${endText}`;
}

function shortDay(day: string): string {
  const p = dayParts(day, { day: "numeric", month: "long" });
  return `${p.day} ${p.month}`;
}

/** Whose CRM calendar an event is in, when its owner is someone the window knows. */
export function crmOwnerText(
  ownerId: string,
  known: { me: string | null; owner: string | null; ownerName: string },
): string {
  if (known.owner !== null && ownerId === known.owner) return `${known.ownerName}'s CRM calendar`;
  if (known.me !== null && ownerId === known.me) return "your CRM calendar";
  return `the CRM calendar of user ${ownerId}`;
}
