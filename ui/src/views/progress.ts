// The progress line a screen shows while it waits for the Rust side: a spinner and what it is
// waiting for, hidden when idle, announced to screen readers as a status.

import { fill, h } from "../dom";

export class ProgressLine {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;

  constructor(id: string) {
    this.text = h("span", {});
    this.el = h(
      "div",
      { id, class: "progress", role: "status", hidden: true },
      h("span", { class: "spinner", "aria-hidden": "true" }),
      this.text,
    );
  }

  /** What is being waited for, in words; null: nothing, and the line is hidden. */
  set(text: string | null): void {
    this.el.hidden = text === null;
    fill(this.text, text ?? "");
  }
}
