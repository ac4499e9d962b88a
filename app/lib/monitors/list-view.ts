/**
 * The monitor list's view: search, status filter, tag, sort and page, read from the URL
 * (so a view can be bookmarked and works without JavaScript) and checked by the
 * `monitor.overview` procedure with the same schema.
 */
import { z } from "zod";

export const STATUS_FILTERS = ["all", "up", "down", "pending", "paused"] as const;
export const SORT_KEYS = ["status", "name", "uptime", "response", "checked"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type SortKey = (typeof SORT_KEYS)[number];

export const PAGE_SIZE = { default: 50, max: 200 } as const;

export const ListMonitorsInput = z.object({
  q: z.string().trim().max(200, "Search for at most 200 characters").default(""),
  status: z.enum(STATUS_FILTERS, { error: `Status is one of ${STATUS_FILTERS.join(", ")}` }).default("all"),
  tag: z.string().trim().max(32, "Tags are at most 32 characters").nullable().default(null),
  sort: z.enum(SORT_KEYS, { error: `Sort by one of ${SORT_KEYS.join(", ")}` }).default("status"),
  page: z.number().int().min(1, "Pages start at 1").max(100_000).default(1),
  pageSize: z
    .number()
    .int()
    .min(1)
    .max(PAGE_SIZE.max, `At most ${PAGE_SIZE.max} monitors a page`)
    .default(PAGE_SIZE.default),
});
export type ListQuery = z.output<typeof ListMonitorsInput>;

/** The URL's view; anything out of range falls back to its default rather than failing the page. */
export function readListQuery(params: URLSearchParams): ListQuery {
  const field = <K extends keyof ListQuery>(key: K, value: unknown): ListQuery[K] => {
    const parsed = ListMonitorsInput.shape[key].safeParse(value);
    return (parsed.success ? parsed.data : ListMonitorsInput.shape[key].parse(undefined)) as ListQuery[K];
  };
  const number = (name: string) => (params.get(name) === null ? undefined : Number(params.get(name)));
  return {
    q: field("q", params.get("q")?.slice(0, 200) ?? undefined),
    status: field("status", params.get("status") ?? undefined),
    tag: field("tag", params.get("tag") || null),
    sort: field("sort", params.get("sort") ?? undefined),
    page: field("page", number("page")),
    pageSize: field("pageSize", number("size")),
  };
}

/** The URL of `query` with `changes` (defaults left out, so links stay short). */
export function listQueryHref(query: ListQuery, changes: Partial<ListQuery>): string {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.status !== "all") params.set("status", next.status);
  if (next.tag) params.set("tag", next.tag);
  if (next.sort !== "status") params.set("sort", next.sort);
  if (next.page !== 1) params.set("page", String(next.page));
  if (next.pageSize !== PAGE_SIZE.default) params.set("size", String(next.pageSize));
  const search = params.toString();
  return search ? `?${search}` : "?";
}
