import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import { SystemStatus } from "~/components/system-status.tsx";

export const meta: MetaFunction = () => [
  { title: "Better Uptime — open-source uptime monitoring and status pages" },
  {
    name: "description",
    content:
      "Self-hosted uptime monitoring: know within seconds when a site is down, see why, get alerted, and publish an honest status page.",
  },
];

const features = [
  {
    title: "Know within seconds",
    body: "HTTP checks as often as every 10 seconds, from as many runners and regions as you deploy, spread over the interval so nothing bursts.",
  },
  {
    title: "See why",
    body: "Status code, response time split into DNS, connect, TLS, first byte and download, certificate expiry, and the exact error of every failed check.",
  },
  {
    title: "Be alerted, once",
    body: "Incidents open only when failures are confirmed, and alerts go out by email or webhook through an outbox that survives crashes.",
  },
  {
    title: "Tell your customers",
    body: "Public status pages with 90-day history, incident updates and your own domain — without ever revealing a monitored URL.",
  },
];

export default function Index() {
  const root = useRouteLoaderData<{ user: unknown }>("root");
  return (
    <main className="mx-auto flex min-h-full max-w-4xl flex-col gap-12 px-6 py-16">
      <header className="flex flex-col gap-5">
        <p className="text-sm font-semibold uppercase tracking-wide text-emerald-700 dark:text-emerald-400">
          Better Uptime
        </p>
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
          Uptime monitoring and status pages you host yourself.
        </h1>
        <p className="max-w-2xl text-lg text-slate-600 dark:text-slate-300">
          Better Uptime watches your websites and APIs, tells you the moment one goes down and why, and keeps your
          customers informed with a public status page. Open source, one command to run, PostgreSQL underneath.
        </p>
        <SystemStatus />
        <div className="flex gap-3">
          {root?.user ? (
            <Link
              to="/monitors"
              className="rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800 dark:bg-emerald-600"
            >
              Go to your monitors
            </Link>
          ) : (
            <>
              <Link
                to="/signup"
                className="rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800 dark:bg-emerald-600"
              >
                Start monitoring
              </Link>
              <Link
                to="/login"
                className="rounded-md border border-slate-300 px-4 py-2 font-semibold dark:border-slate-700"
              >
                Log in
              </Link>
            </>
          )}
        </div>
      </header>
      <section aria-labelledby="features" className="grid gap-6 sm:grid-cols-2">
        <h2 id="features" className="sr-only">
          Features
        </h2>
        {features.map((feature) => (
          <article key={feature.title} className="rounded-lg border border-slate-200 p-5 dark:border-slate-800">
            <h3 className="font-semibold">{feature.title}</h3>
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{feature.body}</p>
          </article>
        ))}
      </section>
    </main>
  );
}
