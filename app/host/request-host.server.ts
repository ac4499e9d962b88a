/**
 * One answer to "which host was asked for", decided once, before anything reads it.
 *
 * Remix's Express adapter builds the request URL from `X-Forwarded-Host` whenever the
 * header is there, whoever sent it; Express (`req.hostname`) honours it only from a proxy
 * `TRUST_PROXY` trusts. So without TRUST_PROXY anyone could make a page's absolute links
 * (the Atom feed's) point at their own host, and a cache in front that does not key on
 * that header would hand the result to everyone. Here the forwarded host is taken only
 * from a trusted proxy (its first value, as Express reads it) and written into `Host`;
 * `X-Forwarded-Host` is then removed, so Express, Remix, the cross-site guard and the
 * public cache all read the same, lower-cased host. A host that is not one (spaces,
 * slashes, a list) answers 400 instead of reaching `new URL` (a 500).
 */
import type { RequestHandler } from "express";

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** The host a request is for: the trusted proxy's forwarded one, else Host; null when it is no host. */
export function requestHost(host: string | undefined, forwarded: string | undefined, trusted: boolean): string | null {
  const chosen = (trusted && forwarded ? forwarded.split(",")[0]! : (host ?? "")).trim().toLowerCase();
  return chosen.length <= 260 && HOST.test(chosen) ? chosen : null;
}

export function canonicalHost(): RequestHandler {
  return (req, res, next) => {
    const trust = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
    const forwarded = req.get("x-forwarded-host");
    const trusted = forwarded !== undefined && trust(req.socket.remoteAddress, 0);
    delete req.headers["x-forwarded-host"];
    // HTTP/1.0 may send no Host at all: nothing to decide then.
    if (!trusted && req.get("host") === undefined) return next();
    const host = requestHost(req.get("host"), forwarded, trusted);
    if (host === null) {
      res.status(400).type("text/plain").send("The request's Host (or X-Forwarded-Host) is not a host name.\n");
      return;
    }
    req.headers.host = host;
    next();
  };
}
