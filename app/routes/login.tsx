import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Alert, Button, Field } from "~/components/ui/form.tsx";
import { AuthCard, AuthForm } from "~/components/ui/auth-form.tsx";
import { createAuthenticator, gitHubConfigured } from "~/web/auth/authenticator.server.ts";
import { safeRedirect } from "~/server/auth/current-user.server.ts";
import { startSession } from "~/web/auth/start-session.server.ts";
import { actionError } from "~/web/forms/action-result.server.ts";
import { optionalCaller } from "~/trpc/caller.server.ts";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Log in · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await optionalCaller(context, request).catch(() => ({ user: null }));
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return { github: gitHubConfigured(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const redirectTo = safeRedirect((await readForm(request.clone())).get("redirectTo"));
  try {
    const user = await createAuthenticator(context, () => optionalCaller(context, request)).authenticate(
      "form",
      request,
    );
    // A new session (and cookie) at every login: an old cookie never becomes a session.
    const { api } = await optionalCaller(context, request);
    return await startSession(api, context, user.id, redirectTo);
  } catch (error) {
    return actionError(error);
  }
}

export default function Login() {
  const { github } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <AuthCard title="Log in to Better Uptime">
      {params.get("reset") ? <Alert tone="success">Your password was changed. Log in with the new one.</Alert> : null}
      <AuthForm formError={result?.formError} hidden={{ redirectTo }} submit="Log in" pending="Logging in…">
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          errors={result?.fieldErrors?.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={result?.fieldErrors?.password}
        />
      </AuthForm>
      {github ? (
        <Form method="post" action="/auth/github">
          <Button variant="secondary" className="w-full">
            Continue with GitHub
          </Button>
        </Form>
      ) : null}
      <div className="flex justify-between text-sm">
        <Link to="/forgot-password" className="underline">
          Forgot your password?
        </Link>
        <Link to="/signup" className="font-semibold underline">
          Create an account
        </Link>
      </div>
    </AuthCard>
  );
}
