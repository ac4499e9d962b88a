/**
 * Bounds on what one request may make the server read: bodies of tRPC calls and form
 * posts are capped (1 MiB → 413) before anything parses them, and a body of unknown
 * length (chunked) is refused (411), since its size could only be learnt by reading it.
 * Node itself never delivers more than the Content-Length announced.
 */
import type { RequestHandler } from "express";

export const MAX_BODY_BYTES = 1024 * 1024;

const BODILESS = new Set(["GET", "HEAD", "OPTIONS"]);

export function bodySizeLimit(maxBytes = MAX_BODY_BYTES): RequestHandler {
  return (req, res, next) => {
    if (BODILESS.has(req.method)) return next();
    const length = req.get("content-length");
    if (length === undefined) {
      if (req.get("transfer-encoding")) {
        res.status(411).type("text/plain").send("Send the request body with a Content-Length.");
        return;
      }
      return next();
    }
    if (!/^\d+$/.test(length) || Number(length) > maxBytes) {
      res
        .status(413)
        .type("text/plain")
        .send(`Request bodies are limited to ${Math.round(maxBytes / 1024)} KiB.`);
      return;
    }
    next();
  };
}
