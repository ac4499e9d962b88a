/** Who may see a status page: public, unlisted or private (a password), with the private page's feed token. */
import { IntentForm } from "~/components/ui/intent-form.tsx";
import { Button, Field, SelectField } from "~/components/ui/form.tsx";
import { Section } from "~/components/ui/section.tsx";
import type { RouterOutputs } from "~/trpc/router-types.ts";

type EditorPage = RouterOutputs["statusPage"]["byId"];

const LABEL = {
  PUBLIC: "Public — anyone, and search engines",
  UNLISTED: "Unlisted — anyone with the address; never indexed",
  PRIVATE: "Private — visitors enter a password",
} as const;

export function AccessSettings({
  page,
  errors,
}: {
  page: EditorPage;
  errors: Record<string, string[] | undefined> | undefined;
}) {
  const { visibility, accessToken } = page.access;
  const path = `/status/${page.slug}`;
  return (
    <Section id="page-access" title="Who can see it" variant="panel">
      <IntentForm intent="access" className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Visibility"
          name="visibility"
          defaultValue={visibility}
          options={(Object.keys(LABEL) as (keyof typeof LABEL)[]).map((value) => [value, LABEL[value]] as const)}
          errors={errors?.visibility}
        />
        <Field
          label={visibility === "PRIVATE" ? "New password (leave empty to keep it)" : "Password (private pages)"}
          name="password"
          type="password"
          autoComplete="new-password"
          errors={errors?.password}
        />
        <div className="sm:col-span-2">
          <Button variant="secondary">Save visibility</Button>
        </div>
      </IntentForm>
      {visibility === "PRIVATE" && accessToken ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Feed readers and badges carry no password: give them the page&apos;s token, e.g.{" "}
          <code className="break-all">
            {path}/feed.atom?token={accessToken}
          </code>
          . A new password makes a new token.
        </p>
      ) : null}
    </Section>
  );
}
