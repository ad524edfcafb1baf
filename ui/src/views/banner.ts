// The banners the screens share: a notice, and an error with the fix a sign-in error calls for
// (Open Settings for the CRM's, Sign in again for Microsoft 365's), each closed by its button.

import { fill, h } from "../dom";
import type { ServiceError } from "../ipc";

export interface SignInFixes {
  onOpenSettings: () => void;
  onSignInAgain: () => void;
}

/** Optional ids of a banner's parts, for the screens whose tests and labels name them. */
export interface BannerIds {
  text?: string;
  openSettings?: string;
  signInAgain?: string;
}

/** Show `text` in the notice banner `el`, or hide it (null). */
export function showNotice(el: HTMLElement, text: string | null, closeLabel = "Dismiss", ids: BannerIds = {}): void {
  el.hidden = text === null;
  fill(
    el,
    h("p", { class: "error-message", id: ids.text ?? null }, text ?? ""),
    h("button", { type: "button", class: "quiet", onclick: () => showNotice(el, null, closeLabel, ids) }, closeLabel),
  );
}

/** Show `error` in the error banner `el` with its fix, or hide it (null). */
export function showError(
  el: HTMLElement,
  error: ServiceError | null,
  fixes: SignInFixes,
  closeLabel = "Dismiss",
  ids: BannerIds = {},
): void {
  el.hidden = error === null;
  if (error === null) {
    fill(el);
    return;
  }
  el.dataset.code = error.code;
  const fix =
    error.code === "crm_sign_in_required"
      ? h("button", { id: ids.openSettings ?? null, type: "button", class: "primary", onclick: fixes.onOpenSettings }, "Open Settings")
      : error.code === "sign_in_required"
        ? h("button", { id: ids.signInAgain ?? null, type: "button", class: "primary", onclick: fixes.onSignInAgain }, "Sign in again")
        : null;
  fill(
    el,
    h("p", { class: "error-message" }, error.message),
    fix,
    h("button", { type: "button", class: "quiet", onclick: () => showError(el, null, fixes, closeLabel, ids) }, closeLabel),
  );
}
