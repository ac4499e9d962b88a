/**
 * A few seconds' cache of whole public status responses (page, JSON, feed, badges), as
 * sent: compressed bytes and headers. Under load a page is then rendered once per
 * period, not once per visitor; while one request renders a fresh copy, the others are
 * served the previous one (like a proxy's "use stale while updating"), so nobody queues
 * behind a render. An owner's change bumps the page's version, so the next request
 * renders anew.
 *
 * Only anonymous GET/HEAD answers of 200 are kept: public status routes never depend on
 * who asks (see root.tsx), and the few request parts they do depend on — the path and
 * query, the compression asked for, the theme cookie — are in the key.
 */
import type { RequestHandler, Response } from "express";
import { processWideMap } from "../process-wide.server.ts";
import { publicPageVersion } from "../services/status-pages/public-page.server.ts";

interface Entry {
  status: number;
  headers: Record<string, string | string[] | number>;
  body: Buffer;
  storedAt: number;
  /** A request is rendering a fresh copy: serve this one meanwhile. */
  refreshing: boolean;
}

const MAX_ENTRIES = 2_000;
/** However long a refresh takes, nothing older than this past its period is served. */
const STALE_LIMIT_MS = 30_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const entries = processWideMap<string, Entry>("public-response-cache");

const PUBLIC_PATH = /^\/status\/([a-z0-9-]+)(?:\.json|\/.*)?$/;

function cacheKey(slug: string, url: string, acceptEncoding: string, cookie: string): string {
  const theme = /(?:^|;\s*)theme=([^;]{0,64})/.exec(cookie)?.[1] ?? "";
  return `${slug}@${publicPageVersion(slug)} ${url} ${acceptEncoding.slice(0, 100)} ${theme}`;
}

export function publicResponseCache({ ttlMs = 5_000 }: { ttlMs?: number } = {}): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const slug = PUBLIC_PATH.exec(req.path)?.[1];
    if (!slug) return next();
    const key = cacheKey(slug, req.url, req.get("accept-encoding") ?? "", req.get("cookie") ?? "");
    const now = Date.now();
    const hit = entries.get(key);
    const age = hit ? now - hit.storedAt : Infinity;
    if (hit && (age < ttlMs || (hit.refreshing && age < ttlMs + STALE_LIMIT_MS)))
      return replay(res, hit, now, req.method === "HEAD");
    if (hit) hit.refreshing = true;
    record(res, (entry) => {
      if (entry) store(key, entry);
      else if (hit) hit.refreshing = false; // this render is not cacheable: let the next one try
    });
    next();
  };
}

function replay(res: Response, entry: Entry, now: number, headOnly: boolean) {
  res.writeHead(entry.status, {
    ...entry.headers,
    "content-length": String(entry.body.length),
    age: String(Math.floor((now - entry.storedAt) / 1000)),
  });
  res.end(headOnly ? undefined : entry.body);
}

function store(key: string, entry: Entry) {
  entries.delete(key); // re-inserted last: the oldest entries go first when full
  entries.set(key, entry);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** Captures the response as it goes out (after compression) and hands it to `done`. */
function record(res: Response, done: (entry: Entry | null) => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  let cacheable = true;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (!cacheable || chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    size += buffer.length;
    if (size > MAX_BODY_BYTES) cacheable = false;
    else chunks.push(buffer);
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as Response["write"];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as Response["end"];
  res.once("finish", () => {
    const headers = res.getHeaders();
    const ok = cacheable && res.statusCode === 200 && !headers["set-cookie"] && res.req.method === "GET";
    if (!ok) return done(null);
    const kept: Entry["headers"] = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined && name !== "date") kept[name] = value;
    done({ status: 200, headers: kept, body: Buffer.concat(chunks), storedAt: Date.now(), refreshing: false });
  });
  res.once("close", () => {
    if (!res.writableFinished) done(null);
  });
}
