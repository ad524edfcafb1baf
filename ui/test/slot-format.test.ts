// The Time slots screen's days, times and words (`npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  addressList,
  copiedText,
  offerState,
  ianaName,
  lengthText,
  localClock,
  localDay,
  messageNumbers,
  nextWeek,
  nothingFreeText,
  notAnAddress,
  offsetLabel,
  onBehalfText,
  slotDayHeading,
  slotRange,
  slotsByDay,
  slotsSummary,
  zoneSuggestions,
} from "../src/slot-format.js";

const slot = (start: string, end: string) => ({ start, end });

test("the days offered at first are next Monday to Friday", () => {
  // Wednesday 4 March 2026
  assert.deepEqual(nextWeek(new Date(2026, 2, 4, 15, 0)), { from: "2026-03-09", to: "2026-03-13" });
  // A Monday offers the week after, a Sunday the week starting tomorrow.
  assert.deepEqual(nextWeek(new Date(2026, 2, 9, 8, 0)), { from: "2026-03-16", to: "2026-03-20" });
  assert.deepEqual(nextWeek(new Date(2026, 2, 8, 23, 59)), { from: "2026-03-09", to: "2026-03-13" });
  // Across a month and a year.
  assert.deepEqual(nextWeek(new Date(2026, 11, 30)), { from: "2027-01-04", to: "2027-01-08" });
});

test("a time is read in the recipient's zone it was written in", () => {
  const t = "2026-03-09T23:30:00-05:00";
  assert.equal(localDay(t), "2026-03-09");
  assert.equal(localClock(t), "23:30");
  assert.equal(slotRange(slot("2026-03-09T09:00:00-05:00", "2026-03-09T09:45:00-05:00")), "09:00–09:45");
  assert.equal(slotRange(slot(t, "2026-03-10T00:15:00-05:00")), "23:30–00:15 next day");
});

test("offsets read as the message writes them", () => {
  assert.equal(offsetLabel("2026-03-09T09:00:00-05:00"), "UTC−05:00");
  assert.equal(offsetLabel("2026-03-09T09:00:00+05:30"), "UTC+05:30");
  assert.equal(offsetLabel("2026-03-09T09:00:00+00:00"), "UTC");
  assert.equal(offsetLabel("2026-03-09T09:00:00Z"), "UTC");
});

test("a day heading names the weekday, and the year only when it is another", () => {
  assert.equal(slotDayHeading("2026-03-09", 2026), "Monday 9 March");
  assert.equal(slotDayHeading("2027-01-04", 2026), "Monday 4 January 2027");
});

test("slots are grouped by day and keep their numbers", () => {
  const days = slotsByDay([
    slot("2026-03-09T09:00:00-05:00", "2026-03-09T09:45:00-05:00"),
    slot("2026-03-09T14:00:00-05:00", "2026-03-09T14:45:00-05:00"),
    slot("2026-03-10T09:00:00-05:00", "2026-03-10T09:45:00-05:00"),
  ]);
  assert.deepEqual(
    days.map((d) => [d.day, d.slots.map((s) => s.number)]),
    [
      ["2026-03-09", [1, 2]],
      ["2026-03-10", [3]],
    ],
  );
  assert.deepEqual(slotsByDay([]), []);
});

test("picked times are numbered in the message from 1, in the order found", () => {
  assert.deepEqual([...messageNumbers([7, 2, 12])], [
    [2, 1],
    [7, 2],
    [12, 3],
  ]);
  assert.equal(messageNumbers([]).size, 0);
});

test("lengths read as a person says them", () => {
  assert.equal(lengthText(45), "45 minutes");
  assert.equal(lengthText(60), "1 hour");
  assert.equal(lengthText(90), "1 hour 30 minutes");
  assert.equal(lengthText(121), "2 hours 1 minute");
});

test("addresses are split on commas, semicolons and spaces, and checked", () => {
  assert.deepEqual(addressList(" a@x.com, b@y.com;c@z.com  d@w.com ,"), ["a@x.com", "b@y.com", "c@z.com", "d@w.com"]);
  assert.deepEqual(addressList("   "), []);
  assert.equal(notAnAddress(["a@x.com", "bob", "c@z.com"]), "bob");
  assert.equal(notAnAddress(["a@x.com"]), null);
  assert.equal(notAnAddress(["a@@x.com"]), "a@@x.com");
});

test("the summary counts what was found and picked", () => {
  assert.equal(slotsSummary(0, 0), "No times found");
  assert.equal(slotsSummary(1, 0), "1 time found · none picked: the message offers all of them");
  assert.equal(slotsSummary(12, 3), "12 times found · 3 picked");
});

test("copying says what is on the clipboard", () => {
  assert.equal(copiedText(3, false), "The message offering 3 times is on the clipboard, formatted and as plain text: paste it into a mail.");
  assert.match(copiedText(1, true), /listing free time on 1 day is/);
  assert.match(copiedText(3, false, true, 3), /A reply that picks a time books it\. 3 times are held on the calendar until then\.$/);
  assert.match(copiedText(1, false, false, 1), /1 time is held/);
});

test("nothing free says who, how long and when", () => {
  assert.equal(
    nothingFreeText("Olivia Grant", 45, "2026-03-09", "2026-03-13", 2026),
    "Olivia Grant has no free time for a meeting of 45 minutes between Monday 9 March and Friday 13 March. Try other days, a shorter meeting or fewer people.",
  );
  assert.match(nothingFreeText("Olivia Grant", 60, "2026-03-09", "2026-03-09", 2026), /meeting of 1 hour on Monday 9 March\./);
});

test("writing for someone else is said, and a right not given refuses the draft", () => {
  assert.equal(onBehalfText("Olivia Grant", "not_needed"), null);
  const granted = onBehalfText("Olivia Grant", "granted");
  assert.ok(granted?.text.startsWith("You are sending on behalf of Olivia Grant."));
  assert.equal(granted?.draftRefused, null);
  const refused = onBehalfText("Olivia Grant", "not_granted");
  assert.match(refused?.text ?? "", /Delegate Access/);
  assert.match(refused?.draftRefused ?? "", /right to send on their behalf/);
  const unknown = onBehalfText("Olivia Grant", "not_proven");
  assert.match(unknown?.text ?? "", /Exchange decides when the message is sent/);
  assert.equal(unknown?.draftRefused, null);
});

test("the owner's zone is suggested first, once", () => {
  const zones = zoneSuggestions("America/Chicago");
  assert.equal(zones[0], "America/Chicago");
  assert.equal(zones.filter((z) => z === "America/Chicago").length, 1);
  assert.ok(zoneSuggestions(null).includes("Asia/Tokyo"));
});

test("an IANA zone's name is read from the opaque zone, anything else is not", () => {
  assert.equal(ianaName({ iana: "America/New_York" }), "America/New_York");
  assert.equal(ianaName({ custom: { bias: -60 } }), null);
  assert.equal(ianaName("America/New_York"), null);
  assert.equal(ianaName(null), null);
});

test("an offer's line says what became of it", () => {
  const offer = {
    reference: "K7Q2MX",
    owner: { name: "Olivia Grant", address: "olivia.grant@contoso.com" },
    subject: "Meeting with Olivia Grant",
    slots: [
      { start: "2026-12-07T09:00:00-06:00", end: "2026-12-07T09:45:00-06:00" },
      { start: "2026-12-08T10:00:00-06:00", end: "2026-12-08T10:45:00-06:00" },
    ],
    to: ["jordan.blake@northwind.example"],
    state: "open",
    holds: 2,
    created_at: "2026-11-30T15:00:00Z",
    expires_at: "2026-12-08T16:00:00Z",
  };
  assert.equal(offerState(offer), "Waiting for a reply to jordan.blake@northwind.example: 2 times, 2 held.");
  assert.equal(
    offerState({ ...offer, state: "booked", booked_start: "2026-12-08T10:00:00-06:00", booked_with: "jordan.blake@northwind.example" }),
    "Booked 2026-12-08 10:00 with jordan.blake@northwind.example.",
  );
  assert.equal(offerState({ ...offer, state: "withdrawn" }), "Withdrawn to jordan.blake@northwind.example; its holds were released.");
  assert.equal(offerState({ ...offer, state: "expired", to: [] }), "Ended without a reply.");
});
