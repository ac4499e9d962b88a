/**
 * A minimal Atom 1.0 writer. Every piece of text — titles and summaries are owners' and
 * monitors' words — is escaped XML text with `type="text"`, never HTML: a reader (or a
 * browser opening the feed from our origin) shows it and never runs it. The `feed`
 * package wrapped text in CDATA marked `type="html"` and escaped only the first `]]>`,
 * so a title holding two of them injected markup (a script) into our origin.
 */

export interface AtomEntry {
  id: string;
  title: string;
  link: string;
  updated: Date;
  summary: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  link: string;
  selfLink: string;
  updated: Date;
  entries: AtomEntry[];
}

// XML 1.0 allows tab, newline, carriage return and U+0020 upwards (minus surrogates and
// U+FFFE/U+FFFF); anything else makes the document unreadable, so it is dropped.
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML character data (for elements and attribute values alike). */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const text = (name: string, value: string) => `<${name} type="text">${xmlText(value)}</${name}>`;
const link = (href: string, rel = "alternate") => `<link rel="${rel}" href="${xmlText(href)}"/>`;

export function renderAtom(feed: AtomFeed): string {
  const entries = feed.entries.map((entry) =>
    [
      "<entry>",
      `<id>${xmlText(entry.id)}</id>`,
      text("title", entry.title),
      link(entry.link),
      `<updated>${entry.updated.toISOString()}</updated>`,
      text("summary", entry.summary),
      "</entry>",
    ].join(""),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${xmlText(feed.id)}</id>`,
    text("title", feed.title),
    feed.subtitle ? text("subtitle", feed.subtitle) : "",
    link(feed.link),
    link(feed.selfLink, "self"),
    `<updated>${feed.updated.toISOString()}</updated>`,
    `<author><name>${xmlText(feed.title)}</name></author>`,
    "<generator>Better Uptime</generator>",
    ...entries,
    "</feed>",
  ].join("\n");
}
