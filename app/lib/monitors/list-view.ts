/** Search, status filter and sort for the monitor list (pure; from the URL's query). */
import type { DisplayStatus } from "../../../core/domain/status.ts";

export type StatusFilter = "all" | "up" | "down" | "pending" | "paused";
export type SortKey = "status" | "name" | "uptime" | "response" | "checked";

export interface ListItem {
  name: string | null;
  url: string;
  status: DisplayStatus;
  uptime24h: number | null;
  lastResponseTimeMs: number | null;
  lastCheckedAt: Date | string | null;
}

export interface ListQuery {
  q: string;
  status: StatusFilter;
  sort: SortKey;
}

const STATUS_FILTERS: StatusFilter[] = ["all", "up", "down", "pending", "paused"];
const SORT_KEYS: SortKey[] = ["status", "name", "uptime", "response", "checked"];

export function readListQuery(params: URLSearchParams): ListQuery {
  const status = params.get("status") as StatusFilter;
  const sort = params.get("sort") as SortKey;
  return {
    q: (params.get("q") ?? "").trim().slice(0, 200),
    status: STATUS_FILTERS.includes(status) ? status : "all",
    sort: SORT_KEYS.includes(sort) ? sort : "status",
  };
}

/** Worst first: what needs attention comes to the top. */
const STATUS_RANK = { DOWN: 0, PENDING: 1, UP: 2, PAUSED: 3 } as const;

export function applyListQuery<T extends ListItem>(items: T[], query: ListQuery): T[] {
  const needle = query.q.toLowerCase();
  const filtered = items.filter(
    (item) =>
      (query.status === "all" || item.status === query.status.toUpperCase()) &&
      (!needle || `${item.name ?? ""} ${item.url}`.toLowerCase().includes(needle)),
  );
  const byName = (a: T, b: T) => (a.name ?? a.url).localeCompare(b.name ?? b.url);
  const nullsLast = (a: number | null, b: number | null, direction: 1 | -1) =>
    a === null ? (b === null ? 0 : 1) : b === null ? -1 : (a - b) * direction;
  const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());
  const compare: Record<SortKey, (a: T, b: T) => number> = {
    status: (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || byName(a, b),
    name: byName,
    uptime: (a, b) => nullsLast(a.uptime24h, b.uptime24h, 1) || byName(a, b),
    response: (a, b) => nullsLast(a.lastResponseTimeMs, b.lastResponseTimeMs, -1) || byName(a, b),
    checked: (a, b) => nullsLast(time(a.lastCheckedAt), time(b.lastCheckedAt), -1) || byName(a, b),
  };
  return [...filtered].sort(compare[query.sort]);
}
