// The "Check setup" panel: each prerequisite with its status, what was found, what to change
// and who can change it.

import { h } from "../dom";
import { CHECK_STATUS_LABELS } from "../format";
import type { Check, DoctorReport } from "../ipc";

export function doctorList(report: DoctorReport): HTMLElement {
  if (report.checks.length === 0) {
    return h("p", { class: "empty" }, "There was nothing to check.");
  }
  const failed = report.checks.filter((c) => c.status === "fail").length;
  return h(
    "div",
    {},
    h(
      "p",
      { class: "doctor-summary", "data-failed": failed },
      failed === 0
        ? "Everything Onbehalf needs is in place."
        : `${failed} check${failed === 1 ? "" : "s"} failed. Each one says what to change and who can change it.`,
    ),
    h("ol", { class: "checks" }, ...report.checks.map(checkRow)),
  );
}

function checkRow(c: Check): HTMLElement {
  return h(
    "li",
    { class: `check status-${c.status}`, "data-check-id": c.id, "data-status": c.status },
    h("span", { class: `chip status-chip status-${c.status}` }, CHECK_STATUS_LABELS[c.status]),
    h(
      "div",
      { class: "check-body" },
      h("p", { class: "check-title" }, h("strong", {}, c.title), h("span", { class: "check-subject" }, ` · ${c.subject}`)),
      h("p", { class: "check-detail" }, c.detail),
      c.fix ? h("p", { class: "check-fix" }, h("strong", {}, "What to change: "), c.fix) : null,
      c.who_can_fix
        ? h("p", { class: "check-who" }, h("strong", {}, "Who can change it: "), c.who_can_fix)
        : null,
    ),
  );
}
