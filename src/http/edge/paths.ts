/**
 * Route paths are constants declared once by the room that serves them (`/interaction/:uid`)
 * and turned into links with `pathTo`, by routes and views alike, so a template never spells
 * out a URL. Every page gets all rooms' paths as the `paths` local and `pathTo` to fill them.
 */
export type Paths = Readonly<Record<string, string>>;

/** Fills each `:name` of a route pattern with its value, escaped as a path segment. */
export function pathTo(pattern: string, params: Readonly<Record<string, string>> = {}): string {
  return pattern.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${pattern}`);
    return encodeURIComponent(value);
  });
}
