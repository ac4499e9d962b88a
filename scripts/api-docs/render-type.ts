/**
 * JSON Schema written TypeScript-style for people (pure): objects one field a line,
 * `?` for a field that may be left out, limits and defaults in a trailing comment.
 */
import type { JsonSchema } from "./router-types.ts";

const INDENT = "  ";

export function renderType(schema: JsonSchema): string {
  return render(schema, 0).replace(/^\n/, "");
}

function render(schema: JsonSchema, depth: number): string {
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (union) return renderUnion(union, depth);
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map((part) => render(part, depth)).join(" & ");
  switch (schema.type) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return String(schema.type);
    case "integer":
      return "number";
    case "array": {
      const items = render((schema.items as JsonSchema | undefined) ?? {}, depth);
      return /[|&\n]/.test(items) && !items.startsWith("{") ? `(${items})[]` : `${items}[]`;
    }
    case "object":
      return renderObject(schema, depth);
    default:
      return "unknown";
  }
}

function renderUnion(members: JsonSchema[], depth: number): string {
  const rendered = members.map((member) => render(member, depth + 1));
  if (!rendered.some((text) => text.includes("\n"))) return rendered.join(" | ");
  const pad = INDENT.repeat(depth + 1);
  return `\n${rendered.map((text) => `${pad}| ${text}`).join("\n")}`;
}

function renderObject(schema: JsonSchema, depth: number): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const additional = schema.additionalProperties as JsonSchema | boolean | undefined;
  const entries = Object.entries(properties);
  if (entries.length === 0) {
    if (additional && typeof additional === "object") return `Record<string, ${render(additional, depth)}>`;
    return "{}";
  }
  const pad = INDENT.repeat(depth + 1);
  const lines = entries.map(([name, property]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    // A field with a default may be left out, whatever `required` says of zod's output.
    const optional = !required.has(name) || "default" in property ? "?" : "";
    const note = constraints(property);
    return `${pad}${key}${optional}: ${render(property, depth + 1)};${note ? ` // ${note}` : ""}`;
  });
  if (additional && typeof additional === "object")
    lines.push(`${pad}[key: string]: ${render(additional, depth + 1)};`);
  return `{\n${lines.join("\n")}\n${INDENT.repeat(depth)}}`;
}

/** Limits, formats and defaults worth knowing, in words. */
export function constraints(schema: JsonSchema): string {
  const members = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (members) {
    // `T | null`: the limits of T.
    const notes = members.map(constraints).filter(Boolean);
    return [...notes, ...("default" in schema ? [`default ${JSON.stringify(schema.default)}`] : [])].join(", ");
  }
  const notes: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    if (typeof min === "number" && typeof max === "number") notes.push(`${min}–${max}${unit}`);
    else if (typeof min === "number" && min > 0) notes.push(`≥ ${min}${unit}`);
    else if (typeof max === "number") notes.push(`≤ ${max}${unit}`);
  };
  range(schema.minLength, schema.maxLength, " characters");
  range(schema.minimum, schema.maximum, "");
  range(schema.minItems, schema.maxItems, " items");
  if (typeof schema.exclusiveMinimum === "number") notes.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.format === "string") notes.push(schema.format);
  if (typeof schema.pattern === "string" && schema.pattern.length <= 60) notes.push(`matches /${schema.pattern}/`);
  if ("default" in schema) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (typeof schema.description === "string") notes.push(schema.description);
  return notes.join(", ");
}
