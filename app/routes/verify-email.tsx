import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/form.tsx";
import { AuthCard, AuthForm } from "~/components/ui/auth-form.tsx";
import { startSession } from "~/web/auth/start-session.server.ts";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

export const meta: MetaFunction = () => [{ title: "Verify your email · Better Uptime" }];

/**
 * The mailed link opens this page; the button does the verifying. (A GET that spent the
 * token would let mail scanners, which open links, use it up.)
 */
export function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = formFields(await readForm(request)).token ?? "";
  try {
    const api = publicCaller(context, request);
    const user = await api.auth.verifyEmail({ token });
    // An email-change link proves the new address only: it never signs the clicker in.
    if (!user.signIn) return redirect("/account?email-changed=1");
    return await startSession(api, context, user.id, "/account?verified=1");
  } catch (error) {
    return actionError(error);
  }
}

export default function VerifyEmail() {
  const { token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result?.fieldErrors?.token?.join(" ") ?? result?.formError;
  return (
    <AuthCard title="Verify your email address">
      {problem ? (
        <>
          <Alert tone="error">{problem}</Alert>
          <p className="text-sm">
            <Link to="/account" className="underline">
              Go to your account
            </Link>{" "}
            to send a new link.
          </p>
        </>
      ) : (
        <AuthForm hidden={{ token }} submit="Verify my email address" />
      )}
    </AuthCard>
  );
}
