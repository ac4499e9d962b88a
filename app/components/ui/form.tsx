import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useId } from "react";

interface LabelledProps {
  label: string;
  errors?: string[] | undefined;
  hint?: ReactNode;
}

/** What a control needs from its label: its id, its state and what describes it. */
interface ControlLinks {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
  className: string;
}

/**
 * A control with its label, hint and error, linked for screen readers. Every form field
 * of the app (input, select, textarea) is drawn by this one shell.
 */
function Labelled({ label, errors, hint, control }: LabelledProps & { control: (links: ControlLinks) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = Boolean(errors?.length);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {control({
        id,
        "aria-invalid": invalid || undefined,
        "aria-describedby": [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined,
        className: `rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 dark:bg-slate-900 ${
          invalid ? "border-red-600 dark:border-red-500" : "border-slate-300 dark:border-slate-700"
        }`,
      })}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its hint and error. */
export function Field({ label, errors, hint, ...input }: InputHTMLAttributes<HTMLInputElement> & LabelledProps) {
  return <Labelled label={label} errors={errors} hint={hint} control={(links) => <input {...links} {...input} />} />;
}

/** A labelled select of `[value, text]` options. */
export function SelectField({
  label,
  errors,
  hint,
  options,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & LabelledProps & { options: readonly (readonly [string, string])[] }) {
  return (
    <Labelled
      label={label}
      errors={errors}
      hint={hint}
      control={(links) => (
        <select {...links} {...select}>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A labelled textarea (monospaced: it holds headers, bodies and the like). */
export function TextAreaField({
  label,
  errors,
  hint,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & LabelledProps) {
  return (
    <Labelled
      label={label}
      errors={errors}
      hint={hint}
      control={(links) => <textarea rows={3} {...links} className={`${links.className} font-mono`} {...textarea} />}
    />
  );
}

export function Button({
  children,
  variant = "primary",
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" }) {
  const styles = {
    primary: "bg-emerald-700 text-white hover:bg-emerald-800 dark:bg-emerald-600 dark:hover:bg-emerald-500",
    secondary:
      "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
    danger: "bg-red-700 text-white hover:bg-red-800",
  }[variant];
  return (
    <button
      type="submit"
      className={`inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold shadow-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600 disabled:opacity-60 ${styles}`}
      {...props}
    >
      {children}
    </button>
  );
}

export function Alert({
  tone = "info",
  children,
}: {
  tone?: "info" | "error" | "success" | "warning";
  children: ReactNode;
}) {
  const styles = {
    info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
    error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
    success:
      "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
    warning: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-4 py-3 text-sm ${styles}`}>
      {children}
    </div>
  );
}
