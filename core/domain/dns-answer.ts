/**
 * DNS answers as people read and compare them: each record type's records as text,
 * sorted, so the same answer in another order is the same answer. Pure: the DNS check
 * compares with these, and the monitor page shows them.
 */
export const DNS_RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "CAA"] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Names compare without case or the root's trailing dot. */
const name = (value: string) => value.toLowerCase().replace(/\.$/, "");

function recordText(type: DnsRecordType, record: unknown): string {
  switch (type) {
    case "A":
    case "AAAA":
      return String(record).toLowerCase();
    case "CNAME":
    case "NS":
      return name(String(record));
    case "MX": {
      const mx = record as { priority: number; exchange: string };
      return `${mx.priority} ${name(mx.exchange)}`;
    }
    case "TXT":
      return (record as string[]).join("");
    case "CAA": {
      const caa = record as {
        critical: number;
        issue?: string;
        issuewild?: string;
        iodef?: string;
        contactemail?: string;
      };
      const [tag, value] = Object.entries(caa).find(([key]) => key !== "critical") ?? ["issue", ""];
      return `${caa.critical} ${tag} "${String(value)}"`;
    }
  }
}

/** The records of an answer as sorted text. */
export function normaliseAnswer(type: DnsRecordType, records: readonly unknown[]): string[] {
  return records.map((record) => recordText(type, record)).sort();
}

/** One line for a cause: "192.0.2.1, 192.0.2.2"; TXT values quoted. */
export function describeAnswer(answer: readonly string[]): string {
  return answer.join(", ");
}

/**
 * The expected value as the user wrote it — one record, or several separated by commas
 * (TXT: one record; a comma may be part of it) — against the answer, as sets.
 */
export function answersMatch(type: DnsRecordType, expected: string, answer: readonly string[]): boolean {
  const wanted =
    type === "TXT"
      ? [expected]
      : expected
          .split(",")
          .map((value) => value.trim())
          .filter(Boolean)
          .map((value) =>
            type === "A" || type === "AAAA" ? value.toLowerCase() : type === "CAA" ? value : name(value),
          );
  if (type === "MX") {
    // "10 mx.example.com" and "mx.example.com." both name the same exchange.
    const normalised = wanted.map((value) => (/^\d+\s/.test(value) ? value.replace(/\s+/, " ") : value));
    const exchanges = answer.map((record) => record.replace(/^\d+ /, ""));
    return (
      normalised.length === answer.length &&
      normalised.every((value) => answer.includes(value) || exchanges.includes(value))
    );
  }
  const set = new Set(wanted);
  return set.size === new Set(answer).size && answer.every((record) => set.has(record));
}
