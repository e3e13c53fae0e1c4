/**
 * Imported first by main.ts. node-oidc-provider warns on import that it prefers Node.js 22;
 * `npm start` shows that once at boot, and the CLI keeps stderr for the command's own error
 * line, so this one known notice is dropped. Every other warning passes through.
 */
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].includes("oidc-provider WARNING: Unsupported runtime")) return;
  warn(...args);
};
