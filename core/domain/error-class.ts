/**
 * Why a check failed. The order is the stored code (1-based, core/domain/compact-result.ts):
 * append, never reorder.
 */
export const ERROR_CLASSES = [
  "timeout",
  "dns",
  "refused",
  "reset",
  "network",
  "tls",
  "status",
  "keyword",
  "redirect",
  "blocked",
  "http",
  "runner",
] as const;

export type ErrorClass = (typeof ERROR_CLASSES)[number];
