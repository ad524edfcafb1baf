// The administrator's policy in words (`npm test`).

import assert from "node:assert/strict";
import { test } from "node:test";

import type { Effective } from "../src/bindings/Effective.js";
import type { ProfileChoice } from "../src/bindings/ProfileChoice.js";
import { profileText, settingValue } from "../src/policy-format.js";

const grants = {
  calendar_sync: true,
  private_sync: false,
  contact_sync: [],
  contact_kinds: [],
  task_sync: [],
  email_integration: [],
};

function profile(p: Partial<ProfileChoice>): ProfileChoice {
  return { name: null, source: { kind: "everyone" }, grants, admin_contact: null, private_sync_allowed: false, ...p };
}

test("the profile says how the user came to have it", () => {
  assert.equal(
    profileText(profile({ name: "assistants", source: { kind: "group", group: "Executive Assistants" } })),
    "Your profile is “assistants”, given to the group Executive Assistants.",
  );
  assert.equal(
    profileText(profile({ name: "calendar_only", source: { kind: "crm", permission_set: "Onbehalf_Calendar_Only" } })),
    "Your profile is “calendar_only”, from the CRM permission set Onbehalf_Calendar_Only.",
  );
  assert.match(profileText(profile({})), /what your organisation allows everyone/);
  assert.match(profileText(profile({ source: { kind: "unknown", reason: "your groups could not be read" } })), /stay off until it is/);
  assert.equal(profileText(null), "Not signed in.");
});

test("a setting's value reads as a person would say it", () => {
  const s = (value: Effective["value"]): Effective => ({
    key: "sync_interval_minutes",
    label: "Sync interval (minutes)",
    value,
    origin: { kind: "default" },
    locked: false,
    note: null,
  });
  assert.equal(settingValue(s(true)), "yes");
  assert.equal(settingValue(s(30)), "30");
  assert.equal(settingValue(s(["waiting", "conflicts"])), "waiting, conflicts");
  assert.equal(settingValue(s([])), "none");
  assert.equal(settingValue(s(null)), "not set");
});
