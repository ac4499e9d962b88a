/**
 * A few seconds' cache of whole public status responses (page, JSON, feed, badges), as
 * sent: compressed bytes and headers. Under load a page is then rendered once per
 * period, not once per visitor; while one request renders a fresh copy, the others are
 * served the previous one (like a proxy's "use stale while updating"), so nobody queues
 * behind a render. An owner's change bumps the page's version, so the next request
 * renders anew.
 *
 * Only anonymous GET/HEAD answers of 200 are kept (never `no-store` or `private` ones):
 * public status routes never depend on who asks (see root.tsx), and the few request
 * parts they do depend on — host, path, the one query parameter they read (`days`), the
 * compression asked for, the theme cookie — are in the key. Other query strings never
 * make new entries (`?x=1`, `?x=2`, … would otherwise each store a copy), and the cache
 * is bounded in bytes as well as in entries.
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
/** Query parameters a public status route reads (the uptime badge's period). */
const KEY_PARAMETERS = ["days"];
const MAX_KEYED_PATH = 300;
/** However long a refresh takes, nothing older than this past its period is served. */
const STALE_LIMIT_MS = 30_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_WAIT_MS = 10_000;

const PUBLIC_PATH = /^\/status\/([a-z0-9-]+)(?:\.json|\/.*)?$/;

function cacheKey(slug: string, version: number, req: Request): string {
  const theme = /(?:^|;\s*)theme=([^;]{0,64})/.exec(req.get("cookie") ?? "")?.[1] ?? "";
  // The host (as Remix reads it): the feed's links are absolute, and differ per domain.
  const host = `${req.get("x-forwarded-host") ?? ""}|${req.get("host") ?? ""}`.slice(0, 300);
  const encoding = (req.get("accept-encoding") ?? "").slice(0, 100);
  const query = new URLSearchParams(req.url.split("?")[1] ?? "");
  const kept = KEY_PARAMETERS.filter((name) => query.has(name)).map(
    (name) => `${name}=${query.get(name)!.slice(0, 16)}`,
  );
  const path = `${req.path}${kept.length ? `?${kept.join("&")}` : ""}`;
  return `${slug}@${version} ${host}${path} ${encoding} ${theme}`;
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
    const slug = PUBLIC_PATH.exec(req.path)?.[1];
    if (!slug || req.path.length > MAX_KEYED_PATH) return next();
    const key = cacheKey(slug, pageVersion(slug), req);
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
