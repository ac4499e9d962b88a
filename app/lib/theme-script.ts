/**
 * The one inline script the app writes itself: before first paint, follow a dark system
 * theme, so no page flashes light. Its exact text is hashed into the Content-Security-
 * Policy (host/security-headers.server.ts): change it only here.
 */
export const THEME_SCRIPT = `if (matchMedia("(prefers-color-scheme: dark)").matches) document.documentElement.classList.add("dark")`;
