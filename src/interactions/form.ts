/** Reads a urlencoded form field as one trimmed-or-raw string, whatever the client sent. */
export type Form = Record<string, unknown>;

export function field(form: Form, name: string): string {
  const value = form[name];
  if (Array.isArray(value)) return typeof value[0] === "string" ? value[0] : "";
  return typeof value === "string" ? value : "";
}
