import { IntentForm } from "~/components/ui/intent-form.tsx";

/** A private status page's door: its password, and nothing else of the page. A plain form (no scripts). */
export function PasswordGate({ error }: { error: string | undefined }) {
  return (
    <main className="mx-auto flex min-h-[50vh] max-w-md flex-col justify-center gap-4 p-8">
      <h1 className="text-2xl font-semibold">This status page is private</h1>
      <p className="text-slate-600 dark:text-slate-400">Enter the password you were given to see it.</p>
      <IntentForm intent="unlock" plain className="flex flex-col gap-3">
        <label htmlFor="page-password" className="text-sm font-medium">
          Password
        </label>
        <input
          id="page-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "page-password-error" : undefined}
          className="rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
        {error ? (
          <p id="page-password-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
        >
          Open the page
        </button>
      </IntentForm>
    </main>
  );
}
