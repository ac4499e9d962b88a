import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OAuth2RequestError } from "remix-auth-github";
import { Alert } from "~/components/ui/form.tsx";
import { AuthCard } from "~/components/ui/auth-form.tsx";
import { createAuthenticator, gitHubConfigured } from "~/web/auth/authenticator.server.ts";
import { startSession } from "~/web/auth/start-session.server.ts";
import { optionalCaller } from "~/trpc/caller.server.ts";
import { serviceCause } from "~/web/forms/action-result.server.ts";
import { isServiceError } from "~/server/services/errors.server.ts";

export const meta: MetaFunction = () => [{ title: "GitHub sign-in · Better Uptime" }];

/**
 * GitHub sends the browser back here with ?code&state. A missing or wrong state (an old
 * tab, a forged link) is the visitor's problem, not the server's: 400 with a message.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!gitHubConfigured(context))
    throw new Response("GitHub sign-in is not configured on this server.", { status: 404 });
  try {
    const user = await createAuthenticator(context, () => optionalCaller(context, request)).authenticate(
      "github",
      request,
    );
    const { api } = await optionalCaller(context, request);
    return await startSession(api, context, user.id, "/monitors");
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown;
    // The procedures' refusals carry the service's error as their cause.
    const error = serviceCause(thrown);
    const message =
      error instanceof ReferenceError || error instanceof RangeError
        ? "This sign-in link is stale or was not started here (its state does not match). Start again from the login page."
        : error instanceof OAuth2RequestError
          ? `GitHub did not authorise the sign-in (${error.code}).`
          : isServiceError(error, "UNAUTHENTICATED")
            ? error.message
            : isServiceError(error, "INVALID")
              ? Object.values(error.fieldErrors).flat().join(" ")
              : null;
    if (message === null) throw thrown;
    return data({ message }, { status: 400 });
  }
}

export default function GitHubCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <AuthCard title="GitHub sign-in failed">
      <Alert tone="error">{message}</Alert>
      <Link to="/login" className="text-sm underline">
        Back to the login page
      </Link>
    </AuthCard>
  );
}
