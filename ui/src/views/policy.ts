// Settings' "Your organisation's policy" section: the user's profile and which features it
// includes (with why not, and whom to ask), and the settings the administrator locked.

import { fill, h } from "../dom";
import type { PolicyReport, ServiceError } from "../ipc";
import { profileText, settingValue } from "../policy-format";

export class PolicySection {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error: HTMLElement;

  constructor() {
    this.body = h("div", { class: "settings-fields" }, h("p", { class: "muted" }, "Reading your organisation's policy…"));
    this.error = h("p", { id: "policy-error", class: "error-text", role: "alert", hidden: true });
    this.el = h(
      "section",
      { id: "policy-section", class: "panel settings-panel", "aria-labelledby": "policy-title" },
      h(
        "div",
        { class: "panel-head" },
        h(
          "div",
          { class: "panel-title" },
          h("h2", { id: "policy-title" }, "Your organisation's policy"),
          h("p", { class: "muted" }, "What your administrator decided for Onbehalf on this computer."),
        ),
      ),
      this.body,
      this.error,
    );
  }

  set(report: PolicyReport): void {
    this.error.hidden = true;
    const locked = report.settings.filter((s) => s.locked && s.origin.kind === "administrator");
    fill(
      this.body,
      h("p", { id: "policy-profile" }, profileText(report.profile)),
      h(
        "ul",
        { id: "policy-features", class: "feature-list" },
        ...report.features.map((f) =>
          h(
            "li",
            { class: f.granted ? "granted" : "refused", "data-feature": f.feature, "data-granted": String(f.granted) },
            h("span", { class: `dot ${f.granted ? "dot-on" : "dot-off"}`, "aria-hidden": "true" }),
            h("strong", {}, capitalised(f.feature)),
            f.granted ? (f.detail ? `: ${f.detail}` : "") : " is not available to you",
            !f.granted && f.reason ? h("p", { class: "help" }, f.reason) : null,
          ),
        ),
      ),
      locked.length === 0
        ? h("p", { class: "muted", id: "policy-locked-none" }, "Your administrator has locked no setting.")
        : h(
            "div",
            { class: "field" },
            h("span", { class: "group-label" }, "Set by your administrator"),
            h(
              "dl",
              { id: "policy-locked", class: "policy-locked" },
              ...locked.flatMap((s) => [h("dt", {}, s.label), h("dd", { "data-key": s.key }, settingValue(s))]),
            ),
          ),
    );
  }

  setError(error: ServiceError | null): void {
    this.error.hidden = error === null;
    fill(this.error, error?.message ?? "");
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
