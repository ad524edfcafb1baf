// Words for the administrator's policy: how the user came to their profile, and a setting's
// value as a person reads it.

import type { Effective } from "./bindings/Effective";
import type { ProfileChoice } from "./bindings/ProfileChoice";

export function profileText(profile: ProfileChoice | null): string {
  if (!profile) return "Not signed in.";
  const source = profile.source;
  switch (source.kind) {
    case "unknown":
      return `Your profile is not known yet (${source.reason}); features that depend on it stay off until it is.`;
    case "user":
      return `Your profile is “${profile.name ?? ""}”, given to you by your administrator.`;
    case "group":
      return `Your profile is “${profile.name ?? ""}”, given to the group ${source.group}.`;
    case "crm":
      return `Your profile is “${profile.name ?? ""}”, from the CRM permission set ${source.permission_set}.`;
    case "everyone":
      return "No profile is assigned to you: you have what your organisation allows everyone.";
  }
}

export function settingValue(s: Effective): string {
  const v = s.value;
  if (v === null) return "not set";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  return v.length === 0 ? "none" : v.join(", ");
}
