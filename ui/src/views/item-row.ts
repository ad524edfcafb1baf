// One calendar item in the Items view: when, what, its share state with the CRM event, what it
// waits for or what stands in its way, and Share / Unshare when allowed or why not.

import { h } from "../dom";
import type { ItemView } from "../ipc";
import { SHARE_LABELS, count, crmOwnerText, timeText } from "../share-format";

export interface RowContext {
  ownerName: string;
  crmUsers: { me: string | null; owner: string | null; ownerName: string };
  /** Names of CRM records met in this window, by id. */
  recordName: (id: string) => string | null;
}

export interface RowHandlers {
  onShare: (item: ItemView) => void;
  onUnshare: (item: ItemView) => void;
}

export function itemRow(item: ItemView, ctx: RowContext, handlers: RowHandlers): HTMLElement {
  const titleId = `item-${cssSafe(item.id)}`;
  return h(
    "li",
    {
      class: `item share-${item.share}`,
      "data-item-id": item.id,
      "data-share": item.share,
      "data-private": String(item.private),
      "aria-labelledby": titleId,
    },
    h("div", { class: "item-time" }, timeText(item)),
    h(
      "div",
      { class: "item-main" },
      h("p", { id: titleId, class: "item-subject" }, item.subject || "(no subject)"),
      meta(item),
      ...details(item, ctx),
    ),
    h("span", { class: `chip share-chip share-${item.share}`, "data-field": "share" }, SHARE_LABELS[item.share]),
    h("div", { class: "item-action" }, action(item, handlers)),
  );
}

function meta(item: ItemView): HTMLElement | null {
  const parts: (HTMLElement | string)[] = [];
  if (item.location) parts.push(item.location);
  if (item.meeting) parts.push(count(item.attendees.length, "attendee", "attendees"));
  if (item.occurrence) parts.push("Recurring");
  if (item.private) parts.push(h("span", { class: "private-mark" }, "Private"));
  if (parts.length === 0) return null;
  const out: (HTMLElement | string)[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(" · ");
    out.push(p);
  });
  return h("p", { class: "item-meta" }, ...out);
}

function details(item: ItemView, ctx: RowContext): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (item.crm) {
    out.push(
      h(
        "p",
        { class: "item-crm", "data-field": "crm", "data-crm-event": item.crm.id, "data-crm-owner": item.crm.owner },
        "In the CRM: event in ",
        crmOwnerText(item.crm.owner, ctx.crmUsers),
      ),
    );
  }
  if (item.links.length > 0) {
    // Names come from the CRM; records it does not show the user are counted.
    const names = item.links.map((id) => ctx.recordName(id));
    const text = names.every((n) => n !== null)
      ? `Linked to ${names.join(" and ")}`
      : `Linked to ${count(item.links.length, "CRM record", "CRM records")}`;
    out.push(h("p", { class: "item-links", "data-field": "links", "data-links": item.links.join(" ") }, text));
  }
  const waiting = item.pending?.waiting_for;
  if (item.share === "pending") {
    out.push(
      h(
        "p",
        { class: "item-waiting", "data-field": "waiting" },
        waiting ?? "Waiting to be saved to the CRM at the next sync.",
      ),
    );
  }
  for (const p of item.problems) {
    if (p.message === waiting) continue;
    out.push(h("p", { class: "item-problem", "data-field": "problem", "data-cause": p.cause }, p.message));
  }
  return out;
}

function action(item: ItemView, handlers: RowHandlers): HTMLElement {
  const verdict = item.actions.share_to_crm;
  if (!verdict?.allowed) {
    return h(
      "p",
      { class: "item-refused", "data-field": "refused" },
      verdict?.unknown ? "Not known yet: " : "Cannot share: ",
      verdict?.reason ?? "Onbehalf could not tell whether you may share this item.",
    );
  }
  const shared = item.share !== "none";
  return h(
    "button",
    {
      type: "button",
      class: shared ? "quiet item-unshare" : "item-share",
      "data-action": shared ? "unshare" : "share",
      "aria-label": `${shared ? "Unshare" : "Share"} “${item.subject}”`,
      onclick: () => (shared ? handlers.onUnshare(item) : handlers.onShare(item)),
    },
    shared ? "Unshare" : "Share…",
  );
}

function cssSafe(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, "_");
}
