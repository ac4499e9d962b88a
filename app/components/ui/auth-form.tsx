import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Alert, Button } from "./form.tsx";
import { HiddenFields } from "./intent-form.tsx";

/** A centred card for the sign-in pages. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="mx-auto flex w-full max-w-md flex-col gap-6 px-6 py-12">
      <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
      {children}
    </main>
  );
}

/**
 * The form of an auth page (log in, sign up, password reset, email and alert confirmations):
 * the form's error, hidden fields (a link's token, where to go next), the fields, and one
 * submit button, disabled while the form is being sent so a slow answer is not sent twice.
 * Server-side validation only (`noValidate`): the action's messages show beside the fields.
 */
export function AuthForm({
  formError,
  hidden,
  submit,
  pending,
  children,
}: {
  formError?: string | null | undefined;
  hidden?: Record<string, string>;
  /** The button's label, and what it says while the form is being sent (the same when left out). */
  submit: string;
  pending?: string;
  /** The fields; a form without any (a confirmation) keeps its button at its own width. */
  children?: ReactNode;
}) {
  const submitting = useNavigation().state === "submitting";
  return (
    <>
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <Form method="post" className={children ? "flex flex-col gap-4" : "flex flex-col items-start gap-4"} noValidate>
        <HiddenFields fields={hidden} />
        {children}
        <Button disabled={submitting}>{submitting ? (pending ?? submit) : submit}</Button>
      </Form>
    </>
  );
}
