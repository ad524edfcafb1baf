// The Microsoft Graph JavaScript client library (@microsoft/microsoft-graph-client 3.x) against
// the sandbox's Graph: what the library returns for reads, paging with PageIterator, JSON
// batching, errors as GraphError, its RetryHandler on a 429, and the private-item rule for a
// sharee without private access. Tests run one after another: some count the requests the
// sandbox saw.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import {
  BatchRequestContent,
  BatchResponseContent,
  GraphError,
  PageIterator,
} from "@microsoft/microsoft-graph-client";

import {
  accessToken,
  control,
  DANIEL,
  EMMA,
  graphClient,
  OLIVIA,
  recordingGraphClient,
  sandbox,
  window,
} from "./sandbox.js";

const org = await control("org");
const user = (address) => org.users.find((u) => u.address === address);
const graphRequests = async () => (await control("graph-counts")).requests;

/** Every page an iterator walks, and every item on them. */
async function iterateAll(client, firstPage, requestOptions) {
  const seen = [];
  const iterator = new PageIterator(
    client,
    firstPage,
    (event) => {
      seen.push(event.id);
      return true;
    },
    requestOptions,
  );
  await iterator.iterate();
  assert.equal(iterator.isComplete(), true);
  return seen;
}

describe("Microsoft Graph JavaScript client against the sandbox", () => {
  let daniel;
  let emma;
  const olivias = `/users/${OLIVIA}/calendar`;
  const days = window(-30, 30);

  before(async () => {
    daniel = graphClient(await accessToken(DANIEL));
    emma = graphClient(await accessToken(EMMA));
  });

  test("/me is the signed-in user", async () => {
    const me = await daniel.api("/me").get();
    assert.equal(me.id, user(DANIEL).id);
    assert.equal(me.userPrincipalName, DANIEL);
    assert.equal(me.displayName, "Daniel Reyes");
    assert.equal(me["@odata.context"], `${sandbox.graphUrl}/$metadata#users/$entity`);
  });

  test("/me/calendars lists his own calendar and the executive's he was given", async () => {
    const calendars = (await daniel.api("/me/calendars").get()).value;
    const own = calendars.find((c) => c.isDefaultCalendar);
    assert.equal(own.owner.address, DANIEL);
    assert.equal(own.canShare, true);
    const shared = calendars.find((c) => c.owner.address === OLIVIA);
    assert.ok(shared, JSON.stringify(calendars));
    assert.equal(shared.name, "Olivia Grant");
    assert.equal(shared.canShare, false);
    assert.equal(shared.canEdit, true);
    assert.equal(shared.canViewPrivateItems, true);
  });

  test("the delegate reads the executive's calendar and its events", async () => {
    const calendar = await daniel.api(olivias).get();
    assert.equal(calendar.owner.address, OLIVIA);
    assert.equal(calendar.isDefaultCalendar, true);
    const view = await daniel.api(`${olivias}/calendarView`).query(days).top(5).get();
    assert.equal(view.value.length, 5);
    for (const event of view.value) {
      assert.ok(event.subject, JSON.stringify(event));
      assert.equal(typeof event.start.dateTime, "string");
    }
    const one = await daniel.api(`/users/${OLIVIA}/events/${encodeURIComponent(view.value[0].id)}`).get();
    assert.equal(one.id, view.value[0].id);
    assert.equal(one.subject, view.value[0].subject);
  });

  test("PageIterator follows calendarView's nextLink with $top", async () => {
    const whole = await daniel.api(`${olivias}/calendarView`).query(days).top(1000).get();
    const everything = whole.value.map((e) => e.id);
    assert.equal(whole["@odata.nextLink"], undefined);
    assert.ok(everything.length > 50, `${everything.length} events`);

    const pageSize = 25;
    const first = await daniel.api(`${olivias}/calendarView`).query(days).top(pageSize).get();
    assert.equal(first.value.length, pageSize);
    assert.ok(first["@odata.nextLink"].startsWith(`${sandbox.graphUrl}/`), first["@odata.nextLink"]);
    const before = await graphRequests();
    const seen = await iterateAll(daniel, first);
    assert.deepEqual(seen, everything);
    assert.equal(await graphRequests(), before + Math.ceil(everything.length / pageSize) - 1);
  });

  test("PageIterator pages calendarView with Prefer: odata.maxpagesize", async () => {
    const everything = (await daniel.api(`${olivias}/calendarView`).query(days).top(1000).get()).value.map(
      (e) => e.id,
    );
    const pageSize = 40;
    const prefer = { Prefer: `odata.maxpagesize=${pageSize}` };
    const first = await daniel.api(`${olivias}/calendarView`).query(days).headers(prefer).get();
    assert.equal(first.value.length, pageSize);
    assert.ok(first["@odata.nextLink"]);
    const before = await graphRequests();
    // The preference goes with every request, the next links' too.
    const seen = await iterateAll(daniel, first, { headers: prefer });
    assert.deepEqual(seen, everything);
    assert.equal(await graphRequests(), before + Math.ceil(everything.length / pageSize) - 1);
  });

  test("$batch with dependsOn runs in order and fails what depends on a failure", async () => {
    const url = (path) => `${sandbox.graphUrl}${path}`;
    const start = new Date(Date.now() + 45 * 24 * 3600 * 1000);
    start.setUTCHours(15, 0, 0, 0);
    const end = new Date(start.getTime() + 30 * 60 * 1000);
    const at = (d) => d.toISOString().replace(/\.\d{3}Z$/, "");
    const missing = (await daniel.api("/me/calendar").get()).id; // a calendar's id, not an event's
    const batch = new BatchRequestContent([
      { id: "me", request: new Request(url("/me"), { method: "GET" }) },
      { id: "calendar", dependsOn: ["me"], request: new Request(url(`${olivias}`), { method: "GET" }) },
      {
        id: "create",
        dependsOn: ["calendar"],
        request: new Request(url(`${olivias}/events`), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            subject: "Conformance: batched",
            start: { dateTime: at(start), timeZone: "UTC" },
            end: { dateTime: at(end), timeZone: "UTC" },
          }),
        }),
      },
      {
        id: "missing",
        dependsOn: ["create"],
        request: new Request(url(`/me/events/${encodeURIComponent(missing)}`), { method: "GET" }),
      },
      { id: "after-missing", dependsOn: ["missing"], request: new Request(url("/me"), { method: "GET" }) },
    ]);
    const content = await batch.getContent();
    assert.deepEqual(
      content.requests.map((r) => [r.id, r.dependsOn]),
      [
        ["me", undefined],
        ["calendar", ["me"]],
        ["create", ["calendar"]],
        ["missing", ["create"]],
        ["after-missing", ["missing"]],
      ],
    );
    const answer = new BatchResponseContent(await daniel.api("/$batch").post(content));
    assert.equal(answer.getResponses().size, 5);
    const step = async (id) => {
      const response = answer.getResponseById(id);
      return { status: response.status, body: await response.json() };
    };

    const me = await step("me");
    assert.equal(me.status, 200);
    assert.equal(me.body.userPrincipalName, DANIEL);
    const calendar = await step("calendar");
    assert.equal(calendar.status, 200);
    assert.equal(calendar.body.owner.address, OLIVIA);
    const created = await step("create");
    assert.equal(created.status, 201);
    assert.equal(created.body.subject, "Conformance: batched");
    assert.equal(created.body.organizer.emailAddress.address, OLIVIA);
    const notFound = await step("missing");
    assert.equal(notFound.status, 404);
    assert.equal(notFound.body.error.code, "ErrorItemNotFound");
    const skipped = await step("after-missing");
    assert.equal(skipped.status, 424);

    const readBack = await daniel.api(`/users/${OLIVIA}/events/${encodeURIComponent(created.body.id)}`).get();
    assert.equal(readBack.subject, "Conformance: batched");
  });

  test("an error is a GraphError with the status, code and request id", async () => {
    const clientRequestId = randomUUID();
    const error = await daniel
      .api("/users/nobody@contoso.com")
      .header("client-request-id", clientRequestId)
      .get()
      .then(
        () => assert.fail("expected a GraphError"),
        (e) => e,
      );
    assert.ok(error instanceof GraphError, String(error));
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, "Request_ResourceNotFound");
    assert.match(error.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(error.requestId, error.headers.get("request-id"));
    assert.ok(error.date instanceof Date && !Number.isNaN(error.date.getTime()));
    assert.equal(JSON.parse(error.body).innerError["client-request-id"], clientRequestId);
  });

  test("the RetryHandler waits out a 429's Retry-After and the retry succeeds", async () => {
    const answers = [];
    const client = recordingGraphClient(await accessToken(DANIEL), answers);
    await client.api("/me").get();
    const before = await graphRequests();
    answers.length = 0;
    // The sandbox throttles every nth request: make the next one the nth, once.
    await control("faults", { clear: true, throttle_every: before + 1, retry_after_secs: 1 });
    try {
      const me = await client.api("/me").get();
      assert.equal(me.userPrincipalName, DANIEL);
    } finally {
      await control("faults", { clear: true });
    }
    assert.deepEqual(answers, [
      { status: 429, retryAfter: "1" },
      { status: 200, retryAfter: null },
    ]);
    assert.equal(await graphRequests(), before + 2, "the throttled request and its retry");
  });

  test("a private event is hidden from a sharee without private access", async () => {
    const listed = (await emma.api(`${olivias}/calendarView`).query(days).top(1000).get()).value;
    const hidden = listed.filter((e) => e.sensitivity === "private");
    assert.ok(hidden.length > 0, "the executive has private events in the window");
    for (const event of hidden) {
      // Listed as a busy block: times and showAs, nothing of its content.
      assert.equal(event.subject, "");
      assert.equal(event.body.content, "");
      assert.equal(event.location.displayName, "");
      assert.deepEqual(event.attendees, []);
      assert.ok(event.start.dateTime && event.end.dateTime && event.showAs);
    }
    const id = encodeURIComponent(hidden[0].id);
    const error = await emma
      .api(`/users/${OLIVIA}/events/${id}`)
      .get()
      .then(
        () => assert.fail("expected a GraphError"),
        (e) => e,
      );
    assert.ok(error instanceof GraphError);
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, "ErrorItemNotFound");

    // The delegate with private access sees the same event in full.
    const full = await daniel.api(`/users/${OLIVIA}/events/${id}`).get();
    assert.equal(full.sensitivity, "private");
    assert.notEqual(full.subject, "");
  });
});
