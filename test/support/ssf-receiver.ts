/**
 * A real Shared Signals receiver for tests: an HTTP server that takes pushed SETs
 * (RFC 8935), verifies each against the transmitter's /jwks with jose, and answers with the
 * statuses the test lines up (202 once the line is empty).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from "jose";

export interface ReceivedSet {
  header: ProtectedHeaderParameters;
  claims: JWTPayload & { events?: Record<string, Record<string, unknown>>; sub_id?: Record<string, string>; txn?: string };
  contentType: string | undefined;
  authorization: string | undefined;
}

export interface TestReceiver {
  url: string;
  received: ReceivedSet[];
  /** Bodies that did not verify, with the reason. */
  rejected: string[];
  /** Statuses to answer next, in order (then 202). */
  answer(...statuses: Array<number | { status: number; body: unknown }>): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedSet[]>;
  close(): Promise<void>;
}

export async function startReceiver(issuer: string, audience: string): Promise<TestReceiver> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const received: ReceivedSet[] = [];
  const rejected: string[] = [];
  const queue: Array<number | { status: number; body: unknown }> = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const next = queue.shift() ?? 202;
      const { status, body } = typeof next === "number" ? { status: next, body: undefined } : next;
      const token = Buffer.concat(chunks).toString("utf8");
      jwtVerify(token, jwks, { issuer, audience, typ: "secevent+jwt" }).then(
        ({ payload, protectedHeader }) => {
          if (status === 202) received.push({ header: protectedHeader, claims: payload, contentType: req.headers["content-type"], authorization: req.headers.authorization });
          res.writeHead(status, body ? { "content-type": "application/json" } : {}).end(body ? JSON.stringify(body) : undefined);
          for (const wake of waiters) wake();
        },
        (error: unknown) => {
          rejected.push(String(error));
          res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ err: "invalid_request" }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/events`,
    received,
    rejected,
    answer: (...statuses) => void queue.push(...statuses),
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver got ${received.length} SETs, expected ${count}; rejected: ${rejected.join("; ")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Tessera's HTTP client keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}
