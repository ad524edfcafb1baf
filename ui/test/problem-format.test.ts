// The sync's problems in words (`npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";

import { fixScreen, problemContext, problemHeading, problemsSummary } from "../src/problem-format.js";

const item = { calendar: "olivia.grant@contoso.com", owner_name: "Olivia Grant", id: "AAMk1", subject: "Fabrikam QBR", when: "Tue 1 Dec, 10:00" };

test("a problem is headed by its item, its owner's calendar, or the account", () => {
  assert.equal(problemHeading({ cause: "owner_sync_off", item }), "Fabrikam QBR");
  assert.equal(problemHeading({ cause: "owner_sync_off", item: { ...item, subject: "  " } }), "(no subject)");
  assert.equal(problemHeading({ cause: "other_crm_org", about: "Olivia Grant" }), "Olivia Grant's calendar");
  assert.equal(problemHeading({ cause: "crm_sign_in_expired" }), "Your account");
});

test("an item's problem says whose calendar and when", () => {
  assert.equal(problemContext({ cause: "owner_sync_off", item }), "Olivia Grant's calendar · Tue 1 Dec, 10:00");
  assert.equal(problemContext({ cause: "owner_sync_off", item: { ...item, when: "" } }), "Olivia Grant's calendar");
  assert.equal(problemContext({ cause: "cannot_reach" }), null);
});

test("a problem a screen fixes leads there", () => {
  assert.equal(fixScreen({ cause: "microsoft_sign_in_expired" }), "sign_in_again");
  assert.equal(fixScreen({ cause: "crm_sign_in_expired" }), "crm_settings");
  assert.equal(fixScreen({ cause: "conflicts_waiting" }), "conflicts");
  assert.equal(fixScreen({ cause: "owner_sync_off" }), null);
});

test("the count reads as a sentence", () => {
  assert.equal(problemsSummary(0), "Nothing needs your attention");
  assert.equal(problemsSummary(1), "1 problem needs your attention");
  assert.equal(problemsSummary(3), "3 problems need your attention");
});
