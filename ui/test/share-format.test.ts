// The wording of sharing and sync, and which items the Items view lists (`npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";

import type { CalendarEntry } from "../src/bindings/CalendarEntry";
import type { ItemView } from "../src/bindings/ItemView";
import type { SyncRun } from "../src/bindings/SyncRun";
import type { SyncStatus } from "../src/bindings/SyncStatus";
import { filterCounts, groupByDay, matchesFilter, matchesSearch } from "../src/item-filter.js";
import {
  crmOwnerText,
  dayHeading,
  dayOf,
  isPerson,
  previewText,
  recordDetail,
  syncCounts,
  syncState,
  timeText,
} from "../src/share-format.js";
import { syncedCalendars } from "../src/synced-calendars.js";

function item(over: Partial<ItemView>): ItemView {
  return {
    id: "AAMk1",
    calendar: "olivia.grant@contoso.com",
    subject: "Call with Fabrikam Japan",
    location: "Microsoft Teams Meeting",
    start: "2026-03-05T00:00:00+00:00",
    end: "2026-03-05T01:00:00+00:00",
    all_day: false,
    private: false,
    meeting: true,
    attendees: ["haruto.sato@fabrikam.co.jp"],
    categories: ["Blue category"],
    occurrence: false,
    share: "none",
    links: [],
    problems: [],
    actions: {},
    ...over,
  };
}

function run(planned: Record<string, number>): SyncRun {
  return {
    preview: true,
    started_at: "2026-03-02T12:00:00Z",
    finished_at: "2026-03-02T12:00:01Z",
    watched_owners: 1,
    report: {
      exchange_items_read: 0,
      crm_events_read: 0,
      exchange_writes: 0,
      crm_writes: 0,
      shared: 0,
      updated_in_crm: 0,
      updated_in_exchange: 0,
      created_in_exchange: 0,
      unlinked: 0,
      deleted_in_crm: 0,
      conflicts: 0,
      problems: 0,
      deferred: 0,
      notices: [],
      planned,
    },
  };
}

function status(over: Partial<SyncStatus>, loop: Partial<SyncStatus["loop"]> = {}): SyncStatus {
  return { on: true, waiting: 0, problems: 0, conflicts: 0, ...over, loop: { running: false, ...loop } };
}

test("the first sync's preview reads as counts per kind of change, in reading order", () => {
  assert.equal(previewText(run({ link: 1, create_in_crm: 3 })), "The first sync will: create in the CRM 3, link 1.");
  assert.equal(previewText(run({})), "The first sync will change nothing.");
  assert.equal(previewText(run({ create_in_crm: 0, something_new: 2 })), "The first sync will: something new 2.");
});

test("the status line tells off, on, running and stopped apart, and counts what waits", () => {
  assert.equal(syncState(status({ on: false })), "off");
  assert.equal(syncState(status({ on: true })), "on");
  assert.equal(syncState(status({ on: true }, { running: true })), "running");
  assert.equal(syncState(status({ on: true }, { last_error: { code: "network", message: "offline" } })), "stopped");
  assert.deepEqual(syncCounts(status({ waiting: 1, problems: 2 })), ["1 share waiting"]);
  assert.deepEqual(syncCounts(status({})), []);
});

test("an item's time reads in the window's time zone; all-day items are days", () => {
  assert.equal(timeText(item({}), "Asia/Tokyo"), "09:00–10:00");
  assert.equal(dayOf(item({}), "Asia/Tokyo"), "2026-03-05");
  assert.equal(dayOf(item({}), "America/New_York"), "2026-03-04");
  const offsite = item({ all_day: true, start: "2026-03-11", end: "2026-03-11" });
  assert.equal(timeText(offsite), "All day");
  assert.equal(dayOf(offsite, "America/New_York"), "2026-03-11");
  assert.equal(timeText(item({ all_day: true, start: "2026-03-25", end: "2026-03-27" })), "All day, until 27 March");
  assert.equal(dayHeading("2026-03-05"), "Thursday 5 March 2026");
});

test("records: a contact or lead is the person; each says what tells it apart", () => {
  assert.equal(isPerson("contact"), true);
  assert.equal(isPerson("lead"), true);
  assert.equal(isPerson("opportunity"), false);
  assert.equal(
    recordDetail({ type: "contact", id: "003A", name: "Haruto Sato", email: "haruto.sato@fabrikam.co.jp", account: "Fabrikam Japan" }),
    "haruto.sato@fabrikam.co.jp · Fabrikam Japan",
  );
  assert.equal(recordDetail({ type: "case", id: "500A", name: "Shipping delay", number: "00001026", stage: "New" }), "No. 00001026 · New");
});

test("a CRM event is said to be in the owner's calendar when its owner is theirs", () => {
  const known = { me: "005D", owner: "005O", ownerName: "Olivia Grant" };
  assert.equal(crmOwnerText("005O", known), "Olivia Grant's CRM calendar");
  assert.equal(crmOwnerText("005D", known), "your CRM calendar");
  assert.equal(crmOwnerText("005X", known), "the CRM calendar of user 005X");
});

test("filters and search choose the items shown, and count per filter", () => {
  const items = [
    item({ id: "1", share: "shared" }),
    item({ id: "2", share: "pending", subject: "Budget review", attendees: [] }),
    item({ id: "3", share: "none", private: true, subject: "Doctor appointment" }),
    item({ id: "4", share: "problem", problems: [{ cause: "no_crm_edit_access", message: "Ask Olivia" }] }),
  ];
  assert.deepEqual(filterCounts(items), { all: 4, shared: 1, pending: 1, problems: 1, private: 1 });
  assert.equal(matchesFilter(items[2]!, "private"), true);
  assert.equal(matchesSearch(items[0]!, "fabrikam haruto"), true);
  assert.equal(matchesSearch(items[0]!, "fabrikam budget"), false);
  assert.equal(matchesSearch(items[1]!, "  "), true);
  assert.equal(matchesSearch(items[0]!, "blue"), true);
  const days = groupByDay([item({ id: "b", start: "2026-03-06T09:00:00Z" }), item({ id: "a" })], (i) => i.start.slice(0, 10));
  assert.deepEqual(
    days.map((d) => [d.day, d.items.map((i) => i.id)]),
    [
      ["2026-03-05", ["a"]],
      ["2026-03-06", ["b"]],
    ],
  );
});

test("items are offered for your own calendar and each owner's main calendar you can read", () => {
  const rights = (read: string) => ({ read, create: false, edit: "none", delete: "none", receives_meeting_requests: false, view_private: false, send_on_behalf: false });
  const cal = (owner: string, kind: string, is_default: boolean, read: string): CalendarEntry =>
    ({
      key: `${owner}/${kind}`,
      owner,
      owner_name: owner.split("@")[0],
      name: "Calendar",
      kind,
      is_default,
      permission: { outlook: "", owa: "", graph: "", source: "inferred", rights: rights(read) },
      can_view_private: false,
      owner_onbehalf: owner.startsWith("olivia") ? { sync_on: true, last_run: null, published_at: "", app_version: "", same_tenant: true, crm_user_id: "005O" } : null,
      owner_record: { state: "absent" },
      actions: {},
    }) as unknown as CalendarEntry;
  const list = syncedCalendars(
    [
      cal("daniel@contoso.com", "own", true, "full"),
      cal("olivia@contoso.com", "owner_primary", true, "full"),
      cal("olivia@contoso.com", "added_by_address", true, "full"),
      cal("felix@contoso.com", "owner_primary", true, "free_busy"),
      cal("carla@contoso.com", "shared_secondary", false, "full"),
    ],
    { address: "daniel@contoso.com", display_name: "Daniel Reyes" },
  );
  assert.deepEqual(
    list.map((c) => [c.owner, c.crmUser]),
    [
      [null, null],
      ["olivia@contoso.com", "005O"],
    ],
  );
});
