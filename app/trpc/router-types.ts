/**
 * What procedures return, for components' props: a component shows what a procedure
 * answered, so its props are typed from the router (type-only: no server code reaches
 * the browser bundle) and change with it. Routes call procedures through the server-side
 * caller and Remix's single fetch keeps Dates as Dates, so these are the procedures' own
 * outputs — not tRPC's `inferRouterOutputs`, which describes the JSON an HTTP client gets.
 */
import type { Caller } from "./caller.server.ts";

type OutputsOf<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<infer Output> ? Output : OutputsOf<T[K]>;
};

export type RouterOutputs = OutputsOf<Caller>;
