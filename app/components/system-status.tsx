import { useEffect, useState } from "react";
import { trpc } from "~/trpc/client.ts";

type State = "checking" | "up" | "down";

/** This instance's own health, fetched from the browser through the typed client. */
export function SystemStatus() {
  const [state, setState] = useState<State>("checking");
  useEffect(() => {
    let cancelled = false;
    trpc.health
      .query()
      .then((health) => !cancelled && setState(health.database === "up" ? "up" : "down"))
      .catch(() => !cancelled && setState("down"));
    return () => {
      cancelled = true;
    };
  }, []);
  const label = {
    checking: "Checking this instance…",
    up: "This instance is operational",
    down: "This instance cannot reach its database",
  }[state];
  const dot = { checking: "bg-slate-400", up: "bg-emerald-500", down: "bg-red-500" }[state];
  return (
    <p
      role="status"
      data-state={state}
      className="inline-flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400"
    >
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${dot}`} />
      {label}
    </p>
  );
}
