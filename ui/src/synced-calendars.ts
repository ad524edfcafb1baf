// The calendars whose items Onbehalf shares: your own, and each owner's main calendar whose
// items you can read. The same rule the sync follows; the service refuses any other.

import type { CalendarEntry } from "./ipc";

export interface SyncedCalendar {
  /** The owner's address; null for your own calendar. */
  owner: string | null;
  address: string;
  ownerName: string;
  /** The owner's CRM user, when their Onbehalf published it. */
  crmUser: string | null;
}

export function isSyncedOwnerCalendar(c: CalendarEntry): boolean {
  switch (c.kind) {
    case "owner_primary":
    case "added_by_address":
      return c.is_default && c.permission.rights.read === "full";
    case "own":
    case "shared_secondary":
      return false;
  }
}

/** Your own calendar first, then each owner's once, in the order the list has them. */
export function syncedCalendars(calendars: CalendarEntry[], me: { address: string; display_name: string }): SyncedCalendar[] {
  const out: SyncedCalendar[] = [{ owner: null, address: me.address, ownerName: me.display_name, crmUser: null }];
  const seen = new Set<string>();
  for (const c of calendars) {
    const key = c.owner.toLowerCase();
    if (!isSyncedOwnerCalendar(c) || seen.has(key)) continue;
    seen.add(key);
    out.push({ owner: c.owner, address: c.owner, ownerName: c.owner_name, crmUser: c.owner_onbehalf?.crm_user_id ?? null });
  }
  return out;
}
