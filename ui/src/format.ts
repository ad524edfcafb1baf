// Words for what the Rust side sends as codes. Records keyed by the generated union types, so
// a new action, kind or status fails to compile until it has words here.

import type { Action, Applies, CalendarKind, CheckStatus, PermissionView } from "./ipc";

export const ACTION_LABELS: Record<Action, string> = {
  view: "View items",
  create: "Create items",
  edit: "Edit items",
  share_to_crm: "Share to CRM",
  link_crm_records: "Link CRM records",
  send_slots: "Send time slots",
  view_private: "View private items",
};

/** Actions in the order the calendars screen lists them. */
export const ACTIONS = Object.keys(ACTION_LABELS) as Action[];

export function appliesText(applies: Applies, ownerName: string): string {
  switch (applies) {
    case "all_items":
      return "All items";
    case "own_items":
      return "Only items you created";
    case "composed_on_behalf":
      return `Only items you compose on ${ownerName}'s behalf`;
    case "free_busy_only":
      return "Free/busy times only";
    case "titles_and_locations":
      return "Subjects and locations only";
  }
}

export const KIND_LABELS: Record<CalendarKind, string> = {
  own: "Your calendar",
  owner_primary: "Shared with you",
  shared_secondary: "Shared calendar",
  added_by_address: "Added by address",
};

export const CHECK_STATUS_LABELS: Record<CheckStatus, string> = {
  pass: "Passed",
  warn: "Warning",
  fail: "Failed",
  unknown: "Not checked",
};

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago", or a date for older times. */
export function ago(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return "at an unknown time";
  const minutes = Math.round((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  const days = Math.round(hours / 24);
  if (days < 14) return `${days} day${days === 1 ? "" : "s"} ago`;
  return `on ${then.toLocaleDateString(undefined, { dateStyle: "medium" })}`;
}

/** Where the shown permission comes from, in words. */
export function sourceText(p: PermissionView, now: Date = new Date()): string {
  switch (p.source) {
    case "own":
      return "your own calendar";
    case "published":
      return p.published_at
        ? `published ${ago(p.published_at, now)}`
        : "published by the owner's Onbehalf";
    case "inferred":
      return "inferred";
  }
}
