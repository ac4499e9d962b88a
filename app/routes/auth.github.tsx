import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { createAuthenticator, gitHubConfigured } from "~/web/auth/authenticator.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";
import { optionalCaller } from "~/trpc/caller.server.ts";

/** Starts GitHub sign-in: remix-auth answers with a redirect to GitHub's authorize URL (with a state). */
export async function action({ request, context }: ActionFunctionArgs) {
  // The button's form carries nothing this action reads, but a body that is no form is refused (415/400) as at every action.
  // A copy is read, as at /login: the authenticator must get the request with its body unread
  // (reading the original made every "Continue with GitHub" answer 500 on the built server).
  await readForm(request.clone());
  if (!gitHubConfigured(context))
    throw new Response("GitHub sign-in is not configured on this server.", { status: 404 });
  try {
    await createAuthenticator(context, () => optionalCaller(context, request)).authenticate("github", request);
  } catch (response) {
    if (response instanceof Response) return response;
    throw response;
  }
  return redirect("/login");
}

export const loader = () => redirect("/login");
