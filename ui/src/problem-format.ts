// The sync's problems in words: what each is about and which screen fixes it (`npm test`).

import type { ProblemEntry } from "./bindings/ProblemEntry";

type Problem = Pick<ProblemEntry, "cause" | "item" | "about">;

/** What a problem is about, as its heading: the item, an owner's calendar, or the account. */
export function problemHeading(p: Problem): string {
  if (p.item) return p.item.subject.trim() || "(no subject)";
  if (p.about) return `${p.about}'s calendar`;
  return "Your account";
}

/** Where and when, for an item's problem ("Olivia Grant's calendar · Tue 1 Dec, 10:00"). */
export function problemContext(p: Problem): string | null {
  if (!p.item) return null;
  const where = `${p.item.owner_name}'s calendar`;
  return p.item.when ? `${where} · ${p.item.when}` : where;
}

/** The screen that fixes a problem, where one does: signing in again, the CRM sign-in in
 * Settings, or the Conflicts view. */
export type FixScreen = "sign_in_again" | "crm_settings" | "conflicts";

export function fixScreen(p: Pick<ProblemEntry, "cause">): FixScreen | null {
  switch (p.cause) {
    case "microsoft_sign_in_expired":
      return "sign_in_again";
    case "crm_sign_in_expired":
    case "other_crm_org":
      return "crm_settings";
    case "conflicts_waiting":
    case "conflict":
      return "conflicts";
    default:
      return null;
  }
}

/** The heading's summary line: how many problems wait. */
export function problemsSummary(n: number): string {
  if (n === 0) return "Nothing needs your attention";
  return n === 1 ? "1 problem needs your attention" : `${n} problems need your attention`;
}
