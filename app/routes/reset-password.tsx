import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Alert, Field } from "~/components/ui/form.tsx";
import { AuthCard, AuthForm } from "~/components/ui/auth-form.tsx";
import { PASSWORD_MIN_LENGTH } from "~/lib/auth/auth-input.ts";
import { startSession } from "~/web/auth/start-session.server.ts";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Better Uptime" }];

export function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fields = formFields(await readForm(request));
  try {
    const api = publicCaller(context, request);
    const user = await api.auth.resetPassword({ token: fields.token ?? "", password: fields.password ?? "" });
    return await startSession(api, context, user.id, "/account?passwordReset=1");
  } catch (error) {
    return actionError(error);
  }
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const tokenProblem = result?.fieldErrors?.token?.join(" ");
  return (
    <AuthCard title="Choose a new password">
      {tokenProblem ? (
        <Alert tone="error">
          {tokenProblem}{" "}
          <Link to="/forgot-password" className="underline">
            Request a new link
          </Link>
        </Alert>
      ) : null}
      <AuthForm formError={result?.formError} hidden={{ token }} submit="Set the new password">
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. Every other session will be logged out.`}
          errors={result?.fieldErrors?.password}
        />
      </AuthForm>
    </AuthCard>
  );
}
