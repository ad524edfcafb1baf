// Conflicts and what merges overwrote, in words (`npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";

import { listText, parseTiming, sideName, valueText, waitingText, whenText } from "../src/conflict-format.js";

test("a time value reads as a day and hours in the user's time zone", () => {
  const value = "2026-03-03T10:00:00+00:00 – 2026-03-03T11:30:00+00:00";
  assert.equal(valueText("time", value, "UTC"), "Tuesday 3 March 2026, 10:00–11:30");
  assert.equal(valueText("time", value, "Europe/Berlin"), "Tuesday 3 March 2026, 11:00–12:30");
});

test("an all-day value reads as days", () => {
  assert.deepEqual(parseTiming("2026-03-03 – 2026-03-04"), { start: "2026-03-03", end: "2026-03-04", all_day: true });
  assert.equal(valueText("time", "2026-03-03 – 2026-03-03", "UTC"), "Tuesday 3 March 2026, All day");
  assert.equal(valueText("time", "2026-03-03 – 2026-03-04", "UTC"), "Tuesday 3 March 2026, All day, until 4 March");
});

test("a value that is not a time is shown as it came", () => {
  assert.equal(parseTiming("soon"), null);
  assert.equal(valueText("time", "soon"), "soon");
});

test("an empty text field says so, and the busy state is a word", () => {
  assert.equal(valueText("location", ""), "(empty)");
  assert.equal(valueText("subject", "Budget review"), "Budget review");
  assert.equal(valueText("show_as", "free"), "Free");
});

test("sides and counts are worded for a person", () => {
  assert.equal(sideName("exchange"), "Outlook");
  assert.equal(sideName("crm"), "the CRM");
  assert.equal(waitingText(1), "1 item waits for your decision");
  assert.equal(waitingText(3), "3 items wait for your decision");
  assert.equal(whenText({ start: "2026-03-03T09:00:00Z", end: "2026-03-03T10:00:00Z", all_day: false }, "UTC"), "Tuesday 3 March 2026, 09:00–10:00");
});

test("the fields a choice writes are listed as a sentence says them", () => {
  assert.equal(listText(["time"]), "time");
  assert.equal(listText(["location", "time"]), "location and time");
  assert.equal(listText(["subject", "location", "time"]), "subject, location and time");
});
