// Relative times ("published 5 minutes ago") that stay true while the window stays open:
// each one keeps its instant and template, and `refreshTimes` rewrites only their text.

import { h } from "../dom";
import { ago } from "../format";

/** A span reading `template` with "{ago}" replaced by how long ago `iso` was. */
export function since(iso: string, template: string, attrs: Record<string, string> = {}): HTMLElement {
  return h("span", { ...attrs, "data-ago": iso, "data-template": template }, render(iso, template, new Date()));
}

export function refreshTimes(root: ParentNode, now: Date = new Date()): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-ago]")) {
    el.textContent = render(el.dataset.ago ?? "", el.dataset.template ?? "{ago}", now);
  }
}

function render(iso: string, template: string, now: Date): string {
  return template.replace("{ago}", ago(iso, now));
}
