import { useNavigation } from "@remix-run/react";

/** A thin bar across the top while a page or form submission is loading. */
export function NavigationProgress() {
  const { state } = useNavigation();
  return (
    <div
      role="progressbar"
      aria-label="Loading"
      aria-hidden={state === "idle"}
      className={`fixed inset-x-0 top-0 z-50 h-0.5 origin-left bg-emerald-500 transition-transform duration-500 ${
        state === "idle" ? "scale-x-0 opacity-0" : "scale-x-75 opacity-100"
      }`}
    />
  );
}
