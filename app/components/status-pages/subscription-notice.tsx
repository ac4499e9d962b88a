/** The one-message pages of subscribing: confirmed, unsubscribed, or a dead link. */
export function SubscriptionNotice({ ok, title, text }: { ok: boolean; title: string; text: string }) {
  return (
    <main className="mx-auto flex min-h-[50vh] max-w-xl flex-col justify-center gap-3 p-8">
      <h1 className={`text-2xl font-semibold ${ok ? "" : "text-red-700 dark:text-red-400"}`}>{title}</h1>
      <p className="text-slate-600 dark:text-slate-400">{text}</p>
    </main>
  );
}
