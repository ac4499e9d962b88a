/**
 * The page the confirm-again mail opens: the private page's password (or, where the page
 * is already open in this browser, just the button). A plain form: these pages run no scripts.
 */
export function ReconfirmForm({ error }: { error: string | undefined }) {
  return (
    <main className="mx-auto flex min-h-[50vh] max-w-md flex-col justify-center gap-4 p-8">
      <h1 className="text-2xl font-semibold">Confirm your subscription</h1>
      <p className="text-slate-600 dark:text-slate-400">
        This status page is now private. Enter its password to keep getting its updates by email. If the page is already
        open in this browser, just press the button.
      </p>
      <form method="post" className="flex flex-col gap-3">
        <label htmlFor="reconfirm-password" className="text-sm font-medium">
          The page&apos;s password
        </label>
        <input
          id="reconfirm-password"
          name="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "reconfirm-password-error" : undefined}
          className="rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
        {error ? (
          <p id="reconfirm-password-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
        >
          Confirm my subscription
        </button>
      </form>
    </main>
  );
}
