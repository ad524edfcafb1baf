// A question before something that cannot be taken back lightly (unsharing, turning sync on):
// what will happen, a button that does it with its progress, and Cancel. A failure is said in
// the dialog, in the service's words, and the person can try again or cancel.

import { fill, h } from "../dom";
import type { ServiceError } from "../ipc";
import { Modal } from "./modal";

export interface ConfirmOptions {
  id: string;
  title: string;
  body: (HTMLElement | string)[];
  confirm: string;
  /** What the dialog says while `run` runs. */
  working: string;
  danger?: boolean;
  /** Where the focus goes afterwards, when what had it before was drawn again. */
  returnFocus?: () => HTMLElement | null;
  /** Does it; the dialog closes when it resolves, and says the error when it rejects. */
  run: () => Promise<void>;
}

export function confirmDialog(options: ConfirmOptions): void {
  let busy = false;
  const titleId = `${options.id}-title`;
  const bodyId = `${options.id}-body`;
  const status = h("div", { class: "modal-status progress", role: "status", hidden: true });
  const error = h("p", { class: "modal-status error-text", role: "alert", hidden: true });
  const cancel = h("button", { type: "button", id: `${options.id}-cancel` }, "Cancel");
  const confirm = h(
    "button",
    { type: "submit", id: `${options.id}-confirm`, class: options.danger ? "danger" : "primary" },
    options.confirm,
  );
  const form = h(
    "form",
    { class: "modal-form" },
    h("h2", { id: titleId, class: "modal-title" }, options.title),
    h("div", { id: bodyId, class: "modal-body" }, ...options.body.map((b) => (typeof b === "string" ? h("p", {}, b) : b))),
    status,
    error,
    h("div", { class: "modal-actions" }, cancel, confirm),
  );
  const modal = new Modal({ id: options.id, labelledBy: titleId, describedBy: bodyId, busy: () => busy, returnFocus: options.returnFocus }, form);
  cancel.addEventListener("click", () => modal.close());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    confirm.disabled = true;
    cancel.disabled = true;
    fill(status, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, options.working));
    status.hidden = false;
    error.hidden = true;
    options
      .run()
      .then(() => {
        busy = false;
        modal.close();
      })
      .catch((e: ServiceError) => {
        busy = false;
        confirm.disabled = false;
        cancel.disabled = false;
        status.hidden = true;
        error.hidden = false;
        fill(error, e.message);
        confirm.focus();
      });
  });
  modal.show(confirm);
}
