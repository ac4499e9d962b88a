import type { FormProps } from "@remix-run/react";
import { Form } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { Button } from "./form.tsx";

/**
 * A page with several forms posts them all to one action, which reads `intent` to know
 * which one was sent. These components write that hidden field (and any hidden ids a row
 * action carries), so no page spells it out by hand.
 */
interface IntentProps {
  /** What the route's action does with this form (its `intent` field). */
  intent: string;
  /** Hidden fields sent along, such as the id of the row the form acts on. */
  fields?: Record<string, string>;
}

/** Hidden inputs, one per field (also the auth pages' tokens). */
export function HiddenFields({ fields }: { fields: Record<string, string> | undefined }) {
  return Object.entries(fields ?? {}).map(([name, value]) => (
    <input key={name} type="hidden" name={name} value={value} />
  ));
}

/**
 * A POST form carrying its intent. `plain` draws a native `<form>` posting to the page's own
 * address, for pages that ship no scripts (a locked status page, also served on custom domains).
 */
export function IntentForm({
  intent,
  fields,
  plain = false,
  children,
  ...form
}: IntentProps & Omit<FormProps, "method"> & { plain?: boolean; children?: ReactNode }) {
  const inputs = (
    <>
      <input type="hidden" name="intent" value={intent} />
      <HiddenFields fields={fields} />
    </>
  );
  return plain ? (
    <form method="post" className={form.className}>
      {inputs}
      {children}
    </form>
  ) : (
    <Form method="post" {...form}>
      {inputs}
      {children}
    </Form>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" };

/** A row action: one button in a form of its own, posting its intent (and the row's id). */
export function RowAction({
  intent,
  fields,
  className,
  ...button
}: IntentProps & Omit<ButtonProps, "name" | "value"> & { className?: string }) {
  return (
    <IntentForm intent={intent} fields={fields} className={className}>
      <Button {...button} />
    </IntentForm>
  );
}

/** A submit button naming the intent itself, for a form whose buttons do different things. */
export function IntentButton({ intent, ...button }: { intent: string } & Omit<ButtonProps, "name" | "value">) {
  return <Button name="intent" value={intent} {...button} />;
}
