// Words for what the Rust side sends as codes. Records keyed by the generated union types, so
// a new action, kind or status fails to compile until it has words here.

import type { Action, ApiBudget, Applies, CalendarKind, CheckStatus, OwnerRecord, PermissionView } from "./ipc";

// Each row says what the user's Exchange permission allows; sharing to a CRM and offering time
// slots are named as what the permission allows, not as features at hand.
export const ACTION_LABELS: Record<Action, string> = {
  view: "Viewing items",
  create: "Creating items",
  edit: "Editing items",
  delete: "Deleting items",
  respond_to_invites: "Responding to invitations",
  share_to_crm: "Sharing items to a CRM",
  link_crm_records: "Linking CRM records to items",
  send_slots: "Offering time slots",
  view_private: "Seeing private items",
  remove_private_mark: "Removing the private mark",
};

/** Actions in the order the calendars screen lists them. */
export const ACTIONS = Object.keys(ACTION_LABELS) as Action[];

export function appliesText(applies: Applies, ownerName: string): string {
  switch (applies) {
    case "all_items":
      return "All items, private ones too";
    case "all_except_private":
      return "All items except private ones";
    case "own_items":
      return "Only items you created";
    case "own_except_private":
      return "Only items you created, except private ones";
    case "new_items":
      return "New items you add";
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
    case "stale":
      return p.checked_at ? `could not check; as of ${ago(p.checked_at, now)}` : "could not check";
    case "unknown":
      return "unknown: could not check";
  }
}

/** What the owner's Onbehalf status record says, or why it says nothing. */
export function ownerRecordText(record: OwnerRecord, ownerName: string): string {
  switch (record.state) {
    case "mine":
      return "This is your own Onbehalf.";
    case "found":
      return `${ownerName} runs Onbehalf.`;
    case "absent":
      return `${ownerName} does not run Onbehalf, or has not published its status yet.`;
    case "newer_format":
      return `${ownerName} runs a newer Onbehalf whose status this version cannot read. Update Onbehalf.`;
    case "unreadable":
      return `${ownerName}'s Onbehalf status could not be read (${record.detail}).`;
    case "denied":
      return `Exchange does not let you read ${ownerName}'s Onbehalf status.`;
    case "unchecked":
      return `${ownerName}'s Onbehalf status could not be checked just now.`;
  }
}

const COUNT = new Intl.NumberFormat("en");

/** "14,880 of 15,000 requests left" */
export function allowanceText(allowance: ApiBudget): string {
  const { remaining, max } = allowance;
  return `${COUNT.format(remaining)} of ${COUNT.format(max)} request${max === 1 ? "" : "s"} left`;
}

/** The share of the allowance left, from 0 to 1 (0 when the org has none at all). */
export function allowanceLeft(allowance: ApiBudget): number {
  const { remaining, max } = allowance;
  if (!(max > 0)) return 0;
  return Math.min(1, Math.max(0, remaining / max));
}

/** Below this share left, the allowance is shown as running low. */
export const ALLOWANCE_LOW = 0.1;
