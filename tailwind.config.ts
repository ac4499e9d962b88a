import type { Config } from "tailwindcss";

export default {
  content: ["./app/**/*.{ts,tsx}"],
  // "dark" on <html>: from the theme cookie, or the system preference (root.tsx).
  darkMode: "class",
  theme: {
    extend: {},
  },
  plugins: [],
} satisfies Config;
