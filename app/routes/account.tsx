import { DateTime } from "~/components/ui/date-time.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Alert, Button, Field } from "~/components/ui/form.tsx";
import { PASSWORD_MIN_LENGTH } from "~/lib/auth/auth-input.ts";
import { gitHubConfigured } from "~/web/auth/authenticator.server.ts";
import { clearedSessionCookie } from "~/server/auth/session-cookie.server.ts";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import { Section } from "~/components/ui/section.tsx";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";
import { IntentForm, RowAction } from "~/components/ui/intent-form.tsx";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Your account · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const [account, tokens] = await Promise.all([api.account.me(), api.account.apiTokens.list()]);
  return { account, tokens, github: gitHubConfigured(context) };
}

/** One action per form on the page, told apart by `intent`. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const fields = formFields(await readForm(request));
  const intent = fields.intent ?? "";
  try {
    switch (intent) {
      case "updateProfile":
        await api.account.updateProfile({ name: fields.name ?? "" });
        return { intent, message: "Your name was saved." };
      case "changeEmail": {
        const { delivered } = await api.account.changeEmail({
          email: fields.email ?? "",
          currentPassword: fields.currentPassword || undefined,
        });
        return {
          intent,
          message: `We sent a link to ${fields.email?.trim()}: open it to switch to that address.`,
          delivered,
        };
      }
      case "resendVerification": {
        const { delivered } = await api.account.resendVerification();
        return { intent, message: "We sent you a new verification link.", delivered };
      }
      case "changePassword": {
        const { endedSessions } = await api.account.changePassword({
          currentPassword: fields.currentPassword || undefined,
          newPassword: fields.newPassword ?? "",
        });
        return { intent, message: `Your password was changed. ${endedSessions} other session(s) were logged out.` };
      }
      case "unlink":
        await api.account.unlinkConnection({ id: fields.id ?? "" });
        return { intent, message: "The connection was removed." };
      case "createToken": {
        const created = await api.account.apiTokens.create({ name: fields.name ?? "" });
        return {
          intent,
          message: `Token "${created.name}" created. Copy it now: it will not be shown again.`,
          token: created.token,
        };
      }
      case "revokeToken":
        await api.account.apiTokens.revoke({ id: fields.id ?? "" });
        return { intent, message: "The token was revoked." };
      case "logOutEverywhere":
        await api.account.logOutEverywhere();
        return redirect("/login", { headers: { "Set-Cookie": await clearedSessionCookie(context.env) } });
      case "delete":
        await api.account.delete({ confirmation: fields.confirmation ?? "" });
        return redirect("/", { headers: { "Set-Cookie": await clearedSessionCookie(context.env) } });
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    return actionError(error, { intent });
  }
}

export default function Account() {
  const { account, tokens, github } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const about = (intent: string) => (result && result.intent === intent ? result : undefined);
  const feedback = (intent: string) => {
    const r = about(intent);
    if (!r) return null;
    if ("formError" in r && r.formError) return <Alert tone="error">{r.formError}</Alert>;
    if ("message" in r && r.message) {
      return (
        <>
          <Alert tone="success">{r.message}</Alert>
          {"delivered" in r && r.delivered === false ? (
            <Alert tone="warning">No outgoing email is configured (SMTP_URL): the link is in the server log.</Alert>
          ) : null}
        </>
      );
    }
    return null;
  };
  const errors = (intent: string, field: string) => {
    const r = about(intent);
    return r && "fieldErrors" in r ? r.fieldErrors?.[field] : undefined;
  };
  const github_connection = account.connections.find((c) => c.provider === "github");

  return (
    <PageShell width="narrow" title="Your account">
      {params.get("verified") ? <Alert tone="success">Your email address is verified.</Alert> : null}
      {params.get("email-changed") ? <Alert tone="success">Your email address is changed.</Alert> : null}
      {params.get("passwordReset") ? (
        <Alert tone="success">Your new password is set. Other sessions were logged out.</Alert>
      ) : null}
      {feedback("resendVerification")}

      <Section id="profile" title="Profile" variant="panel">
        {feedback("updateProfile")}
        <IntentForm intent="updateProfile" className="flex flex-col gap-4 sm:flex-row sm:items-end">
          <div className="flex-1">
            <Field
              label="Name"
              name="name"
              defaultValue={account.name ?? ""}
              errors={errors("updateProfile", "name")}
            />
          </div>
          <Button>Save</Button>
        </IntentForm>
      </Section>

      <Section id="email" title="Email" variant="panel">
        <p className="text-sm">
          <strong>{account.email}</strong> {account.emailVerified ? "(verified)" : "(not verified yet)"}
          {account.pendingEmail ? ` — waiting for you to confirm ${account.pendingEmail}` : null}
        </p>
        {feedback("changeEmail")}
        <IntentForm intent="changeEmail" className="flex flex-col gap-4 sm:flex-row sm:items-end">
          <div className="flex-1">
            <Field
              label="New email address"
              name="email"
              type="email"
              autoComplete="email"
              errors={errors("changeEmail", "email")}
            />
          </div>
          {account.hasPassword ? (
            <div className="flex-1">
              <CurrentPasswordField errors={errors("changeEmail", "currentPassword")} />
            </div>
          ) : null}
          <Button variant="secondary">Change email</Button>
        </IntentForm>
      </Section>

      <Section id="password" title="Password" variant="panel">
        {feedback("changePassword")}
        <IntentForm intent="changePassword" className="flex flex-col gap-4">
          {account.hasPassword ? (
            <CurrentPasswordField errors={errors("changePassword", "currentPassword")} />
          ) : (
            <p className="text-sm">You sign in with GitHub only. Set a password to sign in with your email too.</p>
          )}
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN_LENGTH}
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. Your other sessions will be logged out.`}
            errors={errors("changePassword", "newPassword")}
          />
          <div>
            <Button variant="secondary">{account.hasPassword ? "Change password" : "Set password"}</Button>
          </div>
        </IntentForm>
      </Section>

      <Section id="connected-accounts" title="Connected accounts" variant="panel">
        {feedback("unlink")}
        {errors("unlink", "id") ? <Alert tone="error">{errors("unlink", "id")!.join(" ")}</Alert> : null}
        {github_connection ? (
          <IntentForm
            intent="unlink"
            fields={{ id: github_connection.id }}
            className="flex items-center justify-between gap-4 text-sm"
          >
            <span>
              GitHub — connected <DateTime value={github_connection.createdAt} dateOnly />
            </span>
            <Button variant="secondary">Disconnect</Button>
          </IntentForm>
        ) : github ? (
          <Form method="post" action="/auth/github" className="flex items-center justify-between gap-4 text-sm">
            <span>GitHub — not connected</span>
            <Button variant="secondary">Connect GitHub</Button>
          </Form>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No sign-in providers are configured on this server.
          </p>
        )}
      </Section>

      <Section id="api-tokens" title="API tokens" variant="panel">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Scripts call the same typed API as this dashboard with <code>Authorization: Bearer &lt;token&gt;</code> on{" "}
          <code>/api/trpc</code>.
        </p>
        {feedback("createToken")}
        {about("createToken") && "token" in about("createToken")! ? (
          <output
            aria-label="New API token"
            className="block break-all rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-900"
          >
            {(about("createToken") as { token: string }).token}
          </output>
        ) : null}
        {feedback("revokeToken")}
        <IntentForm intent="createToken" className="flex flex-col gap-4 sm:flex-row sm:items-end">
          <div className="flex-1">
            <Field label="Token name" name="name" placeholder="deploy script" errors={errors("createToken", "name")} />
          </div>
          <Button variant="secondary">Create token</Button>
        </IntentForm>
        {tokens.length > 0 ? (
          <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800">
            {tokens.map((token) => (
              <li key={token.id} className="flex items-center justify-between gap-4 py-2">
                <span>
                  <strong>{token.name}</strong> <code>{token.prefix}…</code> — last used{" "}
                  {token.lastUsedAt ? <DateTime value={token.lastUsedAt} /> : "never"}
                </span>
                <RowAction
                  intent="revokeToken"
                  fields={{ id: token.id }}
                  variant="secondary"
                  aria-label={`Revoke ${token.name}`}
                >
                  Revoke
                </RowAction>
              </li>
            ))}
          </ul>
        ) : null}
      </Section>

      <Section id="export" title="Export your setup" variant="panel">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Monitors, alert channels, status pages and maintenance windows as one JSON file, to keep or to bring to
          another instance with <code>npm run import</code>. Importing it again changes nothing.
        </p>
        <Form method="get" action="/account/export.json" reloadDocument className="flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="secrets" value="1" />
            Include secrets (header values, webhook URLs, API keys)
          </label>
          <Button variant="secondary">Export</Button>
        </Form>
      </Section>

      <Section id="sessions" title="Sessions" variant="panel">
        <IntentForm intent="logOutEverywhere" className="flex items-center justify-between gap-4 text-sm">
          <span>Signed in on {account.sessions} device(s).</span>
          <Button variant="secondary">Log out everywhere</Button>
        </IntentForm>
      </Section>

      <Section id="delete-account" title="Delete account" variant="panel">
        <p className="text-sm">
          Deletes your monitors, their history, your status pages and everything else. This cannot be undone.
        </p>
        <IntentForm intent="delete" className="flex flex-col gap-4 sm:flex-row sm:items-end">
          <div className="flex-1">
            <Field
              label="Type your email address to confirm"
              name="confirmation"
              errors={errors("delete", "confirmation")}
            />
          </div>
          <Button variant="danger">Delete my account</Button>
        </IntentForm>
      </Section>
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";

/** Asked before the email address or the password changes (a stolen session is not enough). */
function CurrentPasswordField({ errors }: { errors: string[] | undefined }) {
  return (
    <Field
      label="Current password"
      name="currentPassword"
      type="password"
      autoComplete="current-password"
      errors={errors}
    />
  );
}
