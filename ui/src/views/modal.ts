// A modal dialog: the rest of the window is inert while it is open, Tab stays inside it,
// Escape closes it (unless it is busy), and the focus goes back where it was.

import { h } from "../dom";

const FOCUSABLE = [
  "a[href]",
  "button:not(:disabled)",
  "input:not(:disabled)",
  "select:not(:disabled)",
  "textarea:not(:disabled)",
  "[tabindex]:not([tabindex='-1'])",
].join(",");

export interface ModalOptions {
  id: string;
  /** The dialog's title element's id. */
  labelledBy: string;
  describedBy?: string;
  /** Closing is refused while this says so (a call is under way). */
  busy?: () => boolean;
  /** Called once the dialog is gone, whichever way it was closed. */
  onClosed?: () => void;
  /** Where the focus goes after closing, when what had it before was drawn again. */
  returnFocus?: () => HTMLElement | null;
  wide?: boolean;
}

export class Modal {
  readonly panel: HTMLElement;
  private readonly backdrop: HTMLElement;
  private opener: Element | null = null;
  private open = false;

  constructor(
    private readonly options: ModalOptions,
    ...content: HTMLElement[]
  ) {
    this.panel = h(
      "div",
      {
        id: options.id,
        class: options.wide ? "modal wide" : "modal",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": options.labelledBy,
        "aria-describedby": options.describedBy ?? null,
      },
      ...content,
    );
    this.backdrop = h("div", { class: "modal-backdrop" }, this.panel);
    this.backdrop.addEventListener("keydown", (e) => this.onKey(e));
    // A click on the backdrop (not on the dialog) is a way out, like Escape.
    this.backdrop.addEventListener("mousedown", (e) => {
      if (e.target === this.backdrop) this.close();
    });
  }

  /** Show the dialog and put the focus on `focus` (else its first control). */
  show(focus?: HTMLElement | null): void {
    if (this.open) return;
    this.open = true;
    this.opener = document.activeElement;
    for (const el of document.body.children) {
      if (el instanceof HTMLElement && el !== this.backdrop) el.inert = true;
    }
    document.body.append(this.backdrop);
    (focus ?? this.focusables()[0] ?? this.panel).focus();
  }

  /** Close, unless busy; the focus goes back to what had it before. */
  close(): void {
    if (!this.open || this.options.busy?.()) return;
    this.open = false;
    this.backdrop.remove();
    for (const el of document.body.children) {
      if (el instanceof HTMLElement) el.inert = false;
    }
    const back = this.opener instanceof HTMLElement && this.opener.isConnected ? this.opener : this.options.returnFocus?.();
    back?.focus();
    this.options.onClosed?.();
  }

  isOpen(): boolean {
    return this.open;
  }

  private focusables(): HTMLElement[] {
    return [...this.panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => !el.closest("[hidden]") && el.getClientRects().length > 0,
    );
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      this.close();
      return;
    }
    if (e.key !== "Tab") return;
    const all = this.focusables();
    const first = all[0];
    const last = all[all.length - 1];
    if (!first || !last) {
      e.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !this.panel.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !this.panel.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }
}
