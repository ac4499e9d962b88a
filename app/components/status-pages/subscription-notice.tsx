/** The one-message pages mailed links open: confirmed, unsubscribed, acknowledged, or a dead link. */
export function SubscriptionNotice({ ok, title, text }: { ok: boolean; title: string; text: string }) {
  return (
    <main className="mx-auto flex min-h-[50vh] max-w-xl flex-col justify-center gap-3 p-8">
      <h1 className={`text-2xl font-semibold ${ok ? "" : "text-red-700 dark:text-red-400"}`}>{title}</h1>
      <p className="text-slate-600 dark:text-slate-400">{text}</p>
    </main>
  );
}

/**
 * The page a mailed link opens: one button that does what the link promises. Mail
 * scanners open links (GET) but do not press buttons (POST), so they cannot confirm or
 * cancel a subscription, or acknowledge an incident, for the reader. A plain form: these pages run no scripts.
 */
export function SubscriptionQuestion({ title, text, button }: { title: string; text: string; button: string }) {
  return (
    <main className="mx-auto flex min-h-[50vh] max-w-xl flex-col justify-center gap-4 p-8">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-slate-600 dark:text-slate-400">{text}</p>
      <form method="post">
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
        >
          {button}
        </button>
      </form>
    </main>
  );
}
