/**
 * A form POST made by hand rather than by the scripted browser: the cookies (or none) and
 * extra headers such as Origin are the test's, to show what a cross-site or cookie-less
 * request gets.
 */
import type { TestTessera } from "./tessera.js";

export async function rawPost(
  tessera: Pick<TestTessera, "issuer">,
  path: string,
  form: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; location: string | null; body: string }> {
  const response = await fetch(new URL(path, tessera.issuer), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), body: await response.text() };
}
