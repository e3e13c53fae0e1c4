/**
 * The request log as an operator reads it: one line per request at info, except passing
 * health probes, which a load balancer sends every few seconds and which go to debug.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { eventually } from "../support/eventually.js";

interface Line {
  level: number;
  msg: string;
  path?: string;
  status?: number;
}

const lines: Line[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(text) as Line);
    done();
  },
});
const debug = 20;
const info = 30;

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ log: pino({ level: "debug" }, sink) });
});
afterAll(async () => {
  await tessera.close();
});

/** The request line for `path`, once the response has finished and been logged. */
function requestLine(path: string): Promise<Line> {
  return eventually(() => lines.find((candidate) => candidate.msg === "request" && candidate.path === path), 2000, `the request line for ${path}`, 20);
}

test("a passing /healthz probe is logged at debug, other requests at info", async () => {
  expect((await fetch(`${tessera.issuer}/healthz`)).status).toBe(200);
  expect((await fetch(`${tessera.issuer}/.well-known/openid-configuration`)).status).toBe(200);

  expect(await requestLine("/healthz")).toMatchObject({ level: debug, status: 200 });
  expect(await requestLine("/.well-known/openid-configuration")).toMatchObject({ level: info, status: 200 });
});
