// The sign-in screen: what Onbehalf is, one button, progress while the browser is open, and
// the error in words when it did not work.

import { fill, h } from "../dom";
import type { ServiceError } from "../ipc";

export interface SignInHandlers {
  onSignIn: () => void;
  onCancel: () => void;
}

export class SignInView {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly waiting: HTMLElement;
  private readonly error: HTMLElement;

  constructor(
    private readonly sandbox: boolean,
    handlers: SignInHandlers,
  ) {
    this.button = h(
      "button",
      { id: "sign-in", type: "button", class: "primary large", onclick: handlers.onSignIn },
      "Sign in with Microsoft 365",
    );
    this.waiting = h(
      "div",
      { id: "sign-in-progress", class: "progress", role: "status", hidden: true },
      h("span", { class: "spinner", "aria-hidden": "true" }),
      h(
        "span",
        {},
        sandbox
          ? "Choose a demo user in the sign-in window. Onbehalf is waiting for it…"
          : "Finish signing in in your browser. Onbehalf is waiting for it…",
      ),
      h("button", { id: "cancel-sign-in", type: "button", class: "quiet", onclick: handlers.onCancel }, "Cancel"),
    );
    this.error = h("p", { id: "sign-in-error", class: "error-text", role: "alert", hidden: true });
    this.el = h(
      "section",
      { id: "signin-screen", class: "signin-screen", "aria-labelledby": "signin-title" },
      h(
        "div",
        { class: "signin-card" },
        h("h1", { id: "signin-title" }, "Onbehalf"),
        h(
          "p",
          { class: "tagline" },
          "Every Outlook calendar you work in for someone else, with the permission you really have there and what you may do with it.",
        ),
        this.sandbox
          ? h(
              "p",
              { class: "sandbox-note" },
              "This is the sandbox: a demo organisation (Contoso) runs inside Onbehalf, so no Microsoft 365 account is needed. Pick any demo user.",
            )
          : null,
        this.button,
        this.waiting,
        this.error,
      ),
    );
  }

  setWaiting(waiting: boolean): void {
    this.button.disabled = waiting;
    this.waiting.hidden = !waiting;
    if (waiting) this.setError(null);
  }

  setError(error: ServiceError | null): void {
    this.error.hidden = error === null;
    fill(this.error, error?.message ?? "");
  }

  focus(): void {
    this.button.focus();
  }
}
