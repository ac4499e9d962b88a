import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/**
 * Re-runs the page's loaders every few seconds while the tab is visible: the page
 * follows the monitors without a reload (the loaders read rollups, so this is cheap).
 */
export function useLiveData(everyMs = 3_000) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && state === "idle") revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, revalidate, state]);
}
