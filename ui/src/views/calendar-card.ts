// One calendar: owner, calendar, effective permission in its three names, private items, the
// owner's Onbehalf, every action allowed or refused with its reason in plain sight, and the way
// to its items when the sync covers it.

import { h } from "../dom";
import { ACTIONS, ACTION_LABELS, KIND_LABELS, appliesText, ownerRecordText, sourceText } from "../format";
import type { Action, CalendarEntry, Verdict } from "../ipc";
import { isSyncedOwnerCalendar } from "../synced-calendars";
import { since } from "./since";

export interface CardHandlers {
  onRemoveOwner: (address: string) => void;
  /** Owners the administrator's policy has the user watch: they cannot be removed here. */
  managedOwners?: ReadonlySet<string>;
  /** Open the Items view of this owner's calendar (null: your own). */
  onOpenItems: (owner: string | null) => void;
}

export function calendarCard(cal: CalendarEntry, handlers: CardHandlers): HTMLElement {
  const id = `cal-${cal.key.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
  return h(
    "article",
    {
      class: "calendar",
      "data-calendar-key": cal.key,
      "data-owner": cal.owner,
      "data-kind": cal.kind,
      "aria-labelledby": id,
    },
    h(
      "header",
      { class: "calendar-head" },
      h(
        "div",
        { class: "who" },
        h("h3", { id, class: "owner-name" }, cal.owner_name),
        h("span", { class: "owner-address" }, cal.owner),
      ),
      h("div", { class: "head-side" }, h("span", { class: `chip kind-${cal.kind}` }, KIND_LABELS[cal.kind]), itemsButton(cal, handlers)),
    ),
    h(
      "p",
      { class: "calendar-name" },
      "Calendar: ",
      h("strong", {}, cal.name),
      cal.is_default ? " (main calendar)" : null,
    ),
    cal.problem ? h("p", { class: "problem", role: "note" }, cal.problem) : null,
    permission(cal),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Private items"),
      h(
        "dd",
        { "data-field": "private-items", "data-allowed": String(cal.can_view_private) },
        cal.can_view_private ? "You can see private items" : "Hidden from you",
      ),
      cal.kind === "own" ? null : h("dt", {}, "Owner's Onbehalf"),
      cal.kind === "own" ? null : h("dd", { "data-field": "owner-onbehalf" }, ...ownerOnbehalf(cal)),
    ),
    h(
      "section",
      { class: "actions-block", "aria-label": `What you can do on ${cal.owner_name}'s calendar` },
      h("h4", { class: "section-title" }, "What your permission allows"),
      h("ul", { class: "actions" }, ...ACTIONS.map((a) => actionRow(a, cal.actions[a], cal))),
    ),
    cardFoot(cal, handlers),
  );
}

/** The way to the calendar's items, on the calendars the sync covers. */
function itemsButton(cal: CalendarEntry, handlers: CardHandlers): HTMLElement | null {
  const own = cal.kind === "own" && cal.is_default;
  if (!own && !isSyncedOwnerCalendar(cal)) return null;
  return h(
    "button",
    {
      type: "button",
      class: "open-items",
      "data-open-items": cal.owner,
      "aria-label": own ? "Items of your calendar" : `Items of ${cal.owner_name}'s calendar`,
      onclick: () => handlers.onOpenItems(own ? null : cal.owner),
    },
    "Items",
  );
}

function cardFoot(cal: CalendarEntry, handlers: CardHandlers): HTMLElement | null {
  if (cal.kind !== "added_by_address") return null;
  if (handlers.managedOwners?.has(cal.owner.toLowerCase())) {
    return h(
      "div",
      { class: "card-foot" },
      h("p", { class: "muted", "data-managed-owner": cal.owner }, "Added by your administrator"),
    );
  }
  return h(
    "div",
    { class: "card-foot" },
    h(
      "button",
      {
        type: "button",
        class: "quiet",
        "data-remove-owner": cal.owner,
        onclick: () => handlers.onRemoveOwner(cal.owner),
      },
      `Remove ${cal.owner_name}`,
    ),
  );
}

function permission(cal: CalendarEntry): HTMLElement {
  const p = cal.permission;
  const source =
    p.source === "own"
      ? null
      : h(
          "span",
          { class: `source source-${p.source}` },
          p.source === "published" && p.published_at ? since(p.published_at, "published {ago}") : sourceText(p),
        );
  const mayBe = p.may_be
    ? h("p", { class: "may-be", "data-field": "may-be" }, `It may be ${p.may_be}; Onbehalf shows only what Exchange proves.`)
    : null;
  return h(
    "section",
    { class: "permission", "data-source": p.source, "data-graph-role": p.graph },
    h("div", { class: "section-head" }, h("h4", { class: "section-title" }, "Effective permission"), source),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Outlook"),
      h("dd", {}, h("span", { class: "perm-main", "data-name": "outlook" }, p.outlook)),
      h("dt", {}, "Outlook on the web"),
      h("dd", {}, h("span", { "data-name": "owa" }, p.owa)),
      h("dt", {}, "Graph"),
      h("dd", {}, h("code", { "data-name": "graph" }, p.graph)),
    ),
    p.note ? h("p", { class: "note" }, p.note) : null,
    mayBe,
  );
}

function ownerOnbehalf(cal: CalendarEntry): (Node | string)[] {
  const o = cal.owner_onbehalf;
  if (!o) {
    return [h("span", { "data-owner-record": cal.owner_record.state }, ownerRecordText(cal.owner_record, cal.owner_name))];
  }
  return [
    h("span", { "data-owner-runs": "true" }, `Runs Onbehalf ${o.app_version}`),
    " · ",
    h("span", { "data-sync": o.sync_on ? "on" : "off" }, o.sync_on ? "sync on" : "sync off"),
    " · ",
    o.last_run ? since(o.last_run, "last run {ago}") : "has not synced yet",
    o.same_tenant ? "" : " · in another Microsoft 365 organisation",
  ];
}

function actionRow(action: Action, verdict: Verdict | undefined, cal: CalendarEntry): HTMLElement {
  const allowed = verdict?.allowed === true;
  const unknown = !allowed && verdict?.unknown === true;
  const state = allowed ? "allowed" : unknown ? "unknown" : "refused";
  const detail = allowed
    ? h("span", { class: "applies" }, verdict?.applies ? appliesText(verdict.applies, cal.owner_name) : "Allowed")
    : h("span", { class: "reason" }, verdict?.reason ?? "Not reported for this calendar.");
  const spoken = { allowed: ": allowed on ", unknown: ": not known yet. ", refused: ": not allowed. " }[state];
  return h(
    "li",
    { class: `action ${state}`, "data-action": action, "data-allowed": String(allowed), "data-state": state },
    h("span", { class: "mark", "aria-hidden": "true" }, { allowed: "✓", unknown: "?", refused: "✕" }[state]),
    h("span", { class: "action-label" }, ACTION_LABELS[action]),
    h("span", { class: "visually-hidden" }, spoken),
    detail,
  );
}
