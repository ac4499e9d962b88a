/**
 * A few seconds' cache of whole public status responses (page, JSON, feed, badges), as
 * sent: compressed bytes and headers. Under load a page is then rendered once per
 * period, not once per visitor; while one request renders a fresh copy, the others are
 * served the previous one (like a proxy's "use stale while updating"), so nobody queues
 * behind a render. An owner's change bumps the page's version, so the next request
 * renders anew.
 *
 * Only anonymous GET/HEAD answers of 200 are kept (never `no-store` or `private` ones):
 * public status routes never depend on who asks (see root.tsx). The key holds exactly
 * what the answer depends on, and nothing else may change it:
 *
 *  - the page's version, path, scheme and host (the feed's links are absolute; the host
 *    is the one request-host.server.ts decided, X-Forwarded-Host only from a trusted proxy);
 *  - the query parameters public routes read (`days`, the uptime badge's period); every
 *    other parameter is removed from the URL before the page renders, so no query string
 *    is ever reflected into a kept copy (`?x=1`, `?x=2`, … make no new entries either).
 *    A visitor's `?token=` (private pages, never kept) passes the cache by;
 *  - the compression: chosen here from Accept-Encoding (br, gzip or none) and written
 *    back as the only one offered, so the compressor cannot choose otherwise;
 *  - the theme cookie.
 *
 * The cache is bounded in bytes as well as in entries.
 */
import type { Request, RequestHandler, Response } from "express";

interface Entry {
  status: number;
  headers: Record<string, string | string[] | number>;
  body: Buffer;
  storedAt: number;
  /** A request is rendering a fresh copy: serve this one meanwhile. */
  refreshing: boolean;
}

const MAX_ENTRIES = 2_000;
/** All kept bodies together. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** Query parameters a public status route reads (the uptime badge's period), and how long a value may be. */
const KEY_PARAMETERS = ["days"];
const MAX_KEYED_VALUE = 16;
/** A query parameter that makes an answer the visitor's own (a private page's access token): never cached. */
const BYPASS_PARAMETERS = ["token"];
const MAX_KEYED_PATH = 300;
/** However long a refresh takes, nothing older than this past its period is served. */
const STALE_LIMIT_MS = 30_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_WAIT_MS = 10_000;

/**
 * The public answers kept: a page, its JSON, feed, logo and badges. Not its confirm,
 * unsubscribe or reconfirm pages (their forms post back to their own URL, token
 * included, and they are `no-store` anyway).
 */
export const CACHED_PATH =
  /^\/status\/([a-z0-9-]+)(?:\.json|\/feed\.atom|\/logo|\/badge\/[^/]{1,100}\/(?:status|uptime)\.svg)?$/;

/** The compression to send for an Accept-Encoding: the best-rated of br and gzip (br on a tie), else none. */
export function chosenEncoding(acceptEncoding: string | undefined): "br" | "gzip" | "identity" {
  const rated = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").toLowerCase().split(",")) {
    const [name, ...parameters] = part.split(";").map((piece) => piece.trim());
    if (!name) continue;
    const q = parameters.find((parameter) => /^q=/.test(parameter));
    const value = q === undefined ? 1 : Number(q.slice(2));
    rated.set(name, Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0);
  }
  const rating = (name: string) => rated.get(name) ?? rated.get("*") ?? 0;
  const [br, gzip] = [rating("br"), rating("gzip")];
  if (br > 0 && br >= gzip) return "br";
  return gzip > 0 ? "gzip" : "identity";
}

/** Where the request goes once nothing the key leaves out is left in it, or null: not cached. */
function keyedUrl(req: Request): string | null {
  const query = new URLSearchParams(req.originalUrl.split("?")[1] ?? "");
  if (BYPASS_PARAMETERS.some((name) => query.has(name))) return null;
  const kept = new URLSearchParams();
  for (const name of KEY_PARAMETERS) {
    const values = query.getAll(name);
    if (values.length > 1 || (values[0] ?? "").length > MAX_KEYED_VALUE) return null;
    if (values.length === 1) kept.set(name, values[0]!);
  }
  return `${req.path}${kept.size > 0 ? `?${kept.toString()}` : ""}`;
}

function cacheKey(slug: string, version: number, url: string, encoding: string, req: Request): string {
  const theme = /(?:^|;\s*)theme=([^;]{0,64})/.exec(req.get("cookie") ?? "")?.[1] ?? "";
  return `${slug}@${version} ${req.protocol}://${req.get("host") ?? ""}${url} ${encoding} ${theme}`;
}

export interface PublicResponseCache {
  /** Express middleware, before compression (a kept answer is replayed compressed). */
  middleware: RequestHandler;
  /** Bytes of the bodies kept (tests, metrics). */
  bytes(): number;
}

/**
 * One per HTTP server, built with it. `pageVersion(slug)` changes whenever an owner
 * changes the page, so its next request renders anew.
 */
export function createPublicResponseCache({
  pageVersion,
  ttlMs = 5_000,
}: {
  pageVersion: (slug: string) => number;
  ttlMs?: number;
}): PublicResponseCache {
  const entries = new Map<string, Entry>();
  /** Renders under way, by key: requests arriving meanwhile wait for them. */
  const rendering = new Map<string, Promise<Entry | null>>();
  let totalBytes = 0;

  const forget = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    totalBytes -= entry.body.length;
  };
  const store = (key: string, entry: Entry) => {
    forget(key); // re-inserted last: the oldest entries go first when full
    entries.set(key, entry);
    totalBytes += entry.body.length;
    while (entries.size > MAX_ENTRIES || totalBytes > MAX_TOTAL_BYTES) forget(entries.keys().next().value!);
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const slug = CACHED_PATH.exec(req.path)?.[1];
    if (!slug || req.path.length > MAX_KEYED_PATH) return next();
    const url = keyedUrl(req);
    if (url === null) return next();
    // What renders (on a miss) is what the key says: the URL without unkeyed parameters,
    // and the one compression chosen.
    req.url = req.originalUrl = url;
    const encoding = chosenEncoding(req.get("accept-encoding"));
    req.headers["accept-encoding"] = encoding;
    const key = cacheKey(slug, pageVersion(slug), url, encoding, req);
    const headOnly = req.method === "HEAD";
    const hit = entries.get(key);
    const age = hit ? Date.now() - hit.storedAt : Infinity;
    if (hit && (age < ttlMs || (hit.refreshing && age < ttlMs + STALE_LIMIT_MS))) return replay(res, hit, headOnly);

    // Nothing to serve: if a render for this key is under way, wait for it rather than
    // render again (100 visitors arriving together must not make 100 renders).
    const pending = rendering.get(key);
    if (pending) {
      void waitFor(pending).then((entry) => (entry ? replay(res, entry, headOnly) : next()));
      return;
    }
    if (hit) hit.refreshing = true;
    let settle!: (entry: Entry | null) => void;
    rendering.set(key, new Promise<Entry | null>((resolve) => (settle = resolve)));
    record(res, (entry) => {
      rendering.delete(key);
      settle(entry);
      if (entry) store(key, entry);
      else if (hit) hit.refreshing = false; // not cacheable: let the next request try
    });
    next();
  };
  return { middleware, bytes: () => totalBytes };
}

/** A render's result, or null (render it yourself) if it takes longer than a visitor should wait. */
function waitFor(pending: Promise<Entry | null>): Promise<Entry | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), MAX_WAIT_MS)));
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}

function replay(res: Response, entry: Entry, headOnly: boolean) {
  res.writeHead(entry.status, {
    ...entry.headers,
    "content-length": String(entry.body.length),
    age: String(Math.floor((Date.now() - entry.storedAt) / 1000)),
  });
  res.end(headOnly ? undefined : entry.body);
}

/**
 * Captures the response as it goes out (after compression) and hands it to `done` when
 * the body is complete — even if the client has gone meanwhile: the render is done, and
 * others are waiting for it.
 */
function record(res: Response, done: (entry: Entry | null) => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  let cacheable = true;
  let settled = false;
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
    const result = end(chunk, ...rest);
    if (!settled) {
      settled = true;
      const headers = res.getHeaders();
      const cacheControl = String(headers["cache-control"] ?? "");
      const ok =
        cacheable &&
        res.statusCode === 200 &&
        !headers["set-cookie"] &&
        !/no-store|private/.test(cacheControl) &&
        res.req.method === "GET";
      const kept: Entry["headers"] = {};
      for (const [name, value] of Object.entries(headers))
        if (value !== undefined && name !== "date") kept[name] = value;
      done(
        ok
          ? { status: 200, headers: kept, body: Buffer.concat(chunks), storedAt: Date.now(), refreshing: false }
          : null,
      );
    }
    return result;
  }) as Response["end"];
  // Gone before the body was complete: nothing to keep, and nobody may wait on it.
  res.once("close", () => {
    if (!settled) {
      settled = true;
      done(null);
    }
  });
}
