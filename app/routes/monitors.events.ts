/**
 * GET /monitors/events — the signed-in user's live monitor updates, as server-sent events
 * (app/host/live/monitor-events.server.ts): `monitors` carries the rows that changed
 * and the status counts, `resync` asks the page to reload what it shows. A comment every
 * 25 s keeps proxies from closing an idle stream; nothing else is sent while nothing changes.
 * Streams are capped per user and per process (LIVE_STREAMS_PER_USER, _PER_PROCESS): the
 * next one is answered 429 with Retry-After, before anything is subscribed.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { MonitorEvent } from "~/host/live/monitor-events.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";

const KEEPALIVE_MS = 25_000;
/** Streams end when pages close; a minute is a fair guess at when one will have. */
const RETRY_AFTER_SECONDS = 60;

const REFUSALS = {
  user: "Too many live streams are open for this account: close some dashboard tabs and reload.",
  process: "This server has as many live streams open as it takes: try again in a minute.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireCaller(context, request);
  const events = context.monitorEvents;
  if (!events) return new Response("Live updates are not available here", { status: 503 });
  const slot = events.slots.take(user.id);
  if ("refused" in slot) {
    return new Response(`${REFUSALS[slot.refused]}\n`, {
      status: 429,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": String(RETRY_AFTER_SECONDS),
      },
    });
  }
  const encoder = new TextEncoder();
  let release = () => slot.release();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const keepalive = setInterval(() => write(": keepalive\n\n"), KEEPALIVE_MS);
      const end = () => {
        if (!open) return;
        open = false;
        clearInterval(keepalive);
        unsubscribe();
        slot.release();
        controller.close();
      };
      const unsubscribe = events.subscribe(
        user.id,
        (event: MonitorEvent) =>
          write(
            `id: ${event.id}\nevent: ${event.type}\ndata: ${"data" in event ? JSON.stringify(event.data) : "{}"}\n\n`,
          ),
        { lastEventId: request.headers.get("last-event-id"), end },
      );
      release = end;
      request.signal.addEventListener("abort", end, { once: true });
      // The page may have gone while the caller was being looked up: its abort has
      // already fired, and no listener added now would hear it (the slot would leak).
      if (request.signal.aborted) {
        end();
        return;
      }
      // Reconnect after 3 s if the stream drops (the browser's default varies).
      write("retry: 3000\n\n");
    },
    cancel() {
      release();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}
