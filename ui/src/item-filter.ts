// Which items the Items view lists: the filter chosen, the words searched for, and the days
// they fall on.

import type { ItemView } from "./ipc";

export type ItemFilter = "all" | "shared" | "pending" | "problems" | "private";

export const FILTER_LABELS: Record<ItemFilter, string> = {
  all: "All",
  shared: "Shared",
  pending: "Pending",
  problems: "Problems",
  private: "Private",
};

export const FILTERS = Object.keys(FILTER_LABELS) as ItemFilter[];

export function matchesFilter(item: ItemView, filter: ItemFilter): boolean {
  switch (filter) {
    case "all":
      return true;
    case "shared":
      return item.share === "shared";
    case "pending":
      return item.share === "pending";
    case "problems":
      return item.share === "problem" || item.problems.length > 0;
    case "private":
      return item.private;
  }
}

/** Every word typed appears in the subject, location, organizer, an attendee or a category. */
export function matchesSearch(item: ItemView, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const haystack = [item.subject, item.location ?? "", item.organizer ?? "", ...item.attendees, ...item.categories]
    .join("\n")
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** How many of `items` each filter shows, once searched. */
export function filterCounts(items: ItemView[]): Record<ItemFilter, number> {
  const counts = { all: 0, shared: 0, pending: 0, problems: 0, private: 0 };
  for (const item of items) {
    for (const f of FILTERS) if (matchesFilter(item, f)) counts[f] += 1;
  }
  return counts;
}

/** Items in order, grouped by the day `dayOf` gives, days in order. */
export function groupByDay(items: ItemView[], dayOf: (item: ItemView) => string): { day: string; items: ItemView[] }[] {
  const days = new Map<string, ItemView[]>();
  for (const item of items) {
    const day = dayOf(item);
    const list = days.get(day);
    if (list) list.push(item);
    else days.set(day, [item]);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, list]) => ({ day, items: list }));
}
