// Node's own test runner over the UI's pure wording (`npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";

import { ACTIONS, ago, allowanceLeft, allowanceText, appliesText, ownerRecordText, sourceText } from "../src/format.js";

const now = new Date("2026-03-02T12:00:00Z");

test("relative times read naturally", () => {
  assert.equal(ago("2026-03-02T11:59:40Z", now), "just now");
  assert.equal(ago("2026-03-02T11:59:00Z", now), "1 minute ago");
  assert.equal(ago("2026-03-02T11:35:00Z", now), "25 minutes ago");
  assert.equal(ago("2026-03-02T09:00:00Z", now), "3 hours ago");
  assert.equal(ago("2026-02-28T12:00:00Z", now), "2 days ago");
  assert.equal(ago("not a date", now), "at an unknown time");
});

test("every action is listed once, in the engine's order", () => {
  assert.deepEqual(ACTIONS, [
    "view",
    "create",
    "edit",
    "delete",
    "respond_to_invites",
    "share_to_crm",
    "link_crm_records",
    "send_slots",
    "view_private",
    "remove_private_mark",
  ]);
});

test("what an allowed action applies to names the owner where it matters", () => {
  assert.equal(appliesText("own_items", "Olivia Grant"), "Only items you created");
  assert.equal(appliesText("all_except_private", "Olivia Grant"), "All items except private ones");
  assert.equal(
    appliesText("composed_on_behalf", "Olivia Grant"),
    "Only items you compose on Olivia Grant's behalf",
  );
});

test("a published permission says how old it is; an inferred one says so", () => {
  const base = { outlook: "Editor", owa: "Can edit", graph: "write", rights: {} as never };
  assert.equal(
    sourceText({ ...base, source: "published", published_at: "2026-03-02T11:55:00Z" }, now),
    "published 5 minutes ago",
  );
  assert.equal(sourceText({ ...base, source: "inferred" }, now), "inferred");
  assert.equal(
    sourceText({ ...base, source: "stale", checked_at: "2026-03-02T09:00:00Z" }, now),
    "could not check; as of 3 hours ago",
  );
  assert.equal(sourceText({ ...base, source: "unknown" }, now), "unknown: could not check");
});

test("why an owner's status says nothing is told, not taken for 'does not run Onbehalf'", () => {
  assert.match(ownerRecordText({ state: "newer_format", format: 3 }, "Olivia Grant"), /newer Onbehalf/);
  assert.match(ownerRecordText({ state: "unchecked", detail: "timed out" }, "Olivia Grant"), /just now/);
  assert.match(ownerRecordText({ state: "absent" }, "Olivia Grant"), /does not run Onbehalf/);
});

test("the CRM's API allowance reads as requests left of the day's total", () => {
  assert.equal(allowanceText({ remaining: 14880, max: 15000 }), "14,880 of 15,000 requests left");
  assert.equal(allowanceText({ remaining: 0, max: 1 }), "0 of 1 request left");
  assert.equal(allowanceLeft({ remaining: 14880, max: 15000 }), 0.992);
  assert.equal(allowanceLeft({ remaining: 5, max: 0 }), 0);
  assert.equal(allowanceLeft({ remaining: 20, max: 10 }), 1);
});
