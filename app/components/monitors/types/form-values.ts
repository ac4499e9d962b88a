/** What the monitor form edits, and what each type's part of it is given. */
import type { ReactNode } from "react";
import type { MonitorType } from "../../../../core/db/generated/enums.ts";
import type { Assertion } from "../../../../core/domain/assertions.ts";
import type { FormTargets } from "../../../../core/monitor-types/module.ts";

export interface MonitorFormValues extends FormTargets {
  /** The form shows each type's own fields (HTTP when not set). */
  type?: MonitorType;
  url: string;
  name: string | null;
  method: string;
  headers: { name: string; value: string }[];
  body: string | null;
  expectedStatusCodes: string;
  keyword: string | null;
  keywordMode: "PRESENT" | "ABSENT";
  keywordIgnoreCase: boolean;
  assertions: Assertion[];
  maxResponseMs: number | null;
  ignoreTlsErrors: boolean;
  followRedirects: boolean;
  maxRedirects: number;
  /** Null: the automatic timeout, which follows the interval. */
  timeoutMs: number | null;
  intervalSeconds: number;
  failureThreshold: number;
  recoveryThreshold: number;
  regions: string[];
  downQuorum: number;
  tags: string[];
  channelIds?: string[];
}

export type FieldErrors = Record<string, string[] | undefined> | undefined;

export interface TypeFieldsProps {
  values: MonitorFormValues;
  errors: FieldErrors;
}

/** One type's part of the monitor form (app/components/monitors/types/<type>.tsx). */
export interface TypeForm {
  /** Its "What to check" fields. */
  Target(props: TypeFieldsProps): ReactNode;
  /** Its "When is it up?" fields; without them the form says what up means (its module's `upWhen`). */
  UpWhen?(props: TypeFieldsProps): ReactNode;
}
