// The one door to the Rust side: every command and event, typed by the generated bindings.
// Errors always arrive as a ServiceError ({ code, message }).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { AccountView } from "./bindings/AccountView";
import type { AppEvent } from "./bindings/AppEvent";
import type { ApiBudget } from "./bindings/ApiBudget";
import type { AppState } from "./bindings/AppState";
import type { ComposedMessage } from "./bindings/ComposedMessage";
import type { ConflictsView } from "./bindings/ConflictsView";
import type { CopiedMessage } from "./bindings/CopiedMessage";
import type { CrmAccountView } from "./bindings/CrmAccountView";
import type { CrmRecord } from "./bindings/CrmRecord";
import type { CrmState } from "./bindings/CrmState";
import type { DoctorReport } from "./bindings/DoctorReport";
import type { DraftOutcome } from "./bindings/DraftOutcome";
import type { DraftRequest } from "./bindings/DraftRequest";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ItemView } from "./bindings/ItemView";
import type { MessageRequest } from "./bindings/MessageRequest";
import type { OfferView } from "./bindings/OfferView";
import type { PolicyReport } from "./bindings/PolicyReport";
import type { ProblemEntry } from "./bindings/ProblemEntry";
import type { Refreshed } from "./bindings/Refreshed";
import type { Resolved } from "./bindings/Resolved";
import type { ServiceError } from "./bindings/ServiceError";
import type { ShareOutcome } from "./bindings/ShareOutcome";
import type { SignOutReport } from "./bindings/SignOutReport";
import type { SlotCalendars } from "./bindings/SlotCalendars";
import type { SlotPrefs } from "./bindings/SlotPrefs";
import type { SlotRequest } from "./bindings/SlotRequest";
import type { SlotsFound } from "./bindings/SlotsFound";
import type { SyncRun } from "./bindings/SyncRun";
import type { SyncSettings } from "./bindings/SyncSettings";
import type { SyncSettingsState } from "./bindings/SyncSettingsState";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { Winner } from "./bindings/Winner";

export type {
  AccountView,
  ApiBudget,
  AppState,
  ComposedMessage,
  ConflictsView,
  CopiedMessage,
  CrmAccountView,
  CrmRecord,
  CrmState,
  DoctorReport,
  DraftOutcome,
  DraftRequest,
  ErrorCode,
  ItemView,
  MessageRequest,
  OfferView,
  PolicyReport,
  ProblemEntry,
  Refreshed,
  Resolved,
  ServiceError,
  ShareOutcome,
  SignOutReport,
  SlotCalendars,
  SlotPrefs,
  SlotRequest,
  SlotsFound,
  SyncRun,
  SyncSettings,
  SyncSettingsState,
  SyncStatus,
  Winner,
};
export type { Action } from "./bindings/Action";
export type { FeatureLine } from "./bindings/FeatureLine";
export type { SettingLock } from "./bindings/SettingLock";
export type { SettingsView } from "./bindings/SettingsView";
export type { Applies } from "./bindings/Applies";
export type { CalendarEntry } from "./bindings/CalendarEntry";
export type { CalendarKind } from "./bindings/CalendarKind";
export type { Check } from "./bindings/Check";
export type { Choice } from "./bindings/Choice";
export type { ConflictView } from "./bindings/ConflictView";
export type { Field } from "./bindings/Field";
export type { FieldValues } from "./bindings/FieldValues";
export type { OverwriteView } from "./bindings/OverwriteView";
export type { Overwritten } from "./bindings/Overwritten";
export type { NoticeKind } from "./bindings/NoticeKind";
export type { NoticeKindLabel } from "./bindings/NoticeKindLabel";
export type { Opens } from "./bindings/Opens";
export type { OwnerRecord } from "./bindings/OwnerRecord";
export type { CheckStatus } from "./bindings/CheckStatus";
export type { PermissionView } from "./bindings/PermissionView";
export type { RecordKind } from "./bindings/RecordKind";
export type { ShareState } from "./bindings/ShareState";
export type { Verdict } from "./bindings/Verdict";
export type { DayFree } from "./bindings/DayFree";
export type { Person } from "./bindings/Person";
export type { SendOnBehalf } from "./bindings/SendOnBehalf";
export type { Slot } from "./bindings/Slot";
export type { SlotCalendar } from "./bindings/SlotCalendar";
export type { When } from "./bindings/When";

const ERROR_CODES: readonly ErrorCode[] = [
  "sign_in_required",
  "crm_sign_in_required",
  "keyring_unavailable",
  "network",
  "config",
  "store",
  "refused",
  "locked",
  "invalid_input",
  "other",
];

/** Turn whatever a failed call rejected with into a ServiceError. */
export function asServiceError(e: unknown): ServiceError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof message === "string" && ERROR_CODES.includes(code as ErrorCode)) {
      return { code: code as ErrorCode, message };
    }
  }
  // Tauri itself rejects with a plain string (for example when a command is not permitted).
  return { code: "other", message: typeof e === "string" ? e : String(e) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asServiceError(e);
  }
}

export const ipc = {
  appState: () => call<AppState>("app_state"),
  /** Opens the browser (or the sandbox sign-in window) and resolves once the person signed in. */
  signIn: () => call<AccountView>("sign_in"),
  /** Cancels whichever sign-in waits for the browser: Microsoft 365's or the CRM's. */
  cancelSignIn: () => call<void>("cancel_sign_in"),
  /** Signs out here; `left_behind` says what could not be removed, in words. */
  signOut: () => call<SignOutReport>("sign_out"),
  refreshCalendars: () => call<Refreshed>("refresh_calendars"),
  addOwner: (address: string) => call<Refreshed>("add_owner", { address }),
  removeOwner: (address: string) => call<Refreshed>("remove_owner", { address }),
  runDoctor: () => call<DoctorReport>("run_doctor"),
  /** Whether a CRM is configured and the CRM account kept here; asks nothing of the CRM. */
  crmState: () => call<CrmState>("crm_state"),
  /** Who you are in the CRM and the API allowance left, asked of the CRM. */
  crmWhoami: () => call<CrmAccountView>("crm_whoami"),
  /** Opens the browser (or the sandbox's Salesforce window) and resolves once signed in. */
  crmSignIn: () => call<CrmAccountView>("crm_sign_in"),
  crmSignOut: () => call<SignOutReport>("crm_sign_out"),
  /** Records of every linkable kind matching at least two typed letters. */
  crmSearch: (text: string) => call<CrmRecord[]>("crm_search", { text }),
  /** The contacts and leads with these addresses: a meeting's attendees. */
  crmMatch: (addresses: string[]) => call<CrmRecord[]>("crm_match", { addresses }),
  crmRecords: (ids: string[]) => call<CrmRecord[]>("crm_records", { ids }),
  /** A calendar's items (`calendar`: the owner's address, null for your own) in a span
   * (each bound null: the sync window's). */
  listItems: (calendar: string | null, from: string | null, to: string | null) =>
    call<ItemView[]>("list_items", { calendar, from, to }),
  shareItem: (calendar: string | null, itemId: string, recordIds: string[]) =>
    call<ShareOutcome>("share_item", { calendar, itemId, recordIds }),
  unshareItem: (calendar: string | null, itemId: string) =>
    call<ShareOutcome>("unshare_item", { calendar, itemId }),
  /** Conflicts waiting for a decision, each read afresh from both sides, and what merges
   * overwrote; conflicts that are over are cleared as they are read. */
  listConflicts: () => call<ConflictsView>("list_conflicts"),
  /** Keep one side's values (`exchange`: Outlook's) for an item's conflict. */
  resolveConflict: (calendar: string | null, itemId: string, keep: Winner) =>
    call<Resolved>("resolve_conflict", { calendar, itemId, keep }),
  dismissOverwrite: (id: number) => call<void>("dismiss_overwrite", { id }),
  /** The sync's open problems, oldest first; listed even while a sign-in has expired. */
  listProblems: () => call<ProblemEntry[]>("list_problems"),
  /** Not listed or told again until something about it changes. */
  dismissProblem: (id: string) => call<void>("dismiss_problem", { id }),
  /** The Rust side opens the problem's item in Outlook on the web. */
  openProblemInOutlook: (id: string) => call<void>("open_problem_in_outlook", { id }),
  syncStatus: () => call<SyncStatus>("sync_status"),
  /** What the first sync would do; writes nothing. */
  syncPreview: () => call<SyncRun>("sync_preview"),
  setSyncOn: (on: boolean) => call<SyncStatus>("set_sync_on", { on }),
  /** Wakes the scheduled sync; `sync-status` events follow the cycle. */
  syncNow: () => call<SyncStatus>("sync_now"),
  syncSettings: () => call<SyncSettingsState>("sync_settings"),
  /** Keeps every setting but whether sync is on (the status line turns it on or off). */
  setSyncSettings: (settings: SyncSettings) => call<SyncSettingsState>("set_sync_settings", { settings }),
  policyReport: () => call<PolicyReport>("policy_report"),
  /** Whose calendar time slots may come from (own first), each with its free/busy verdict. */
  slotCalendars: () => call<SlotCalendars>("slot_calendars"),
  /** The meeting length and rules last used on a calendar (`me` or the owner's address). */
  slotPrefs: (calendar: string) => call<SlotPrefs>("slot_prefs", { calendar }),
  /** Free times from everyone's free/busy; remembers the calendar and its rules. */
  findSlots: (request: SlotRequest) => call<SlotsFound>("find_slots", { request }),
  /** The message for the picked times, for the preview; `token` comes back once reply links
   * are on, and is given again so the links stay the same. */
  composeSlotMessage: (request: MessageRequest) => call<ComposedMessage>("compose_slot_message", { request }),
  /** The message put on the clipboard as HTML with its plain text; an offer replies may book
   * (or whose times are held) is kept from then on, and `held` says how many times are held. */
  copySlotMessage: (request: MessageRequest) => call<CopiedMessage>("copy_slot_message", { request }),
  /** A draft in the user's Drafts folder, from the owner when written on their behalf. */
  createSlotDraft: (request: DraftRequest) => call<DraftOutcome>("create_slot_draft", { request }),
  /** Offers replies may book, newest first, with what became of each. */
  listOffers: () => call<OfferView[]>("list_offers"),
  /** Takes an open offer back; its holds are released. */
  withdrawOffer: (reference: string) => call<void>("withdraw_offer", { reference }),
};

export type EventName = AppEvent["event"];
export type EventPayload<E extends EventName> = Extract<AppEvent, { event: E }>["payload"];

/** Listen to one of the app's events; resolves to the function that stops listening. */
export function onEvent<E extends EventName>(
  event: E,
  handler: (payload: EventPayload<E>) => void,
): Promise<UnlistenFn> {
  return listen<EventPayload<E>>(event, (e) => handler(e.payload));
}
