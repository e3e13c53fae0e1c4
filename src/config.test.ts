import path from "node:path";
import { ConfigError, parseConfig } from "./config.js";

test("defaults give a development server on the embedded database", () => {
  const config = parseConfig({});
  expect(config.port).toBe(3000);
  expect(config.issuer).toBe("http://localhost:3000");
  expect(config.database).toEqual({ kind: "pglite", dataDir: path.resolve("data/pglite") });
  expect(config.demoClient).toEqual({ enabled: true, secret: "demo-secret" });
  expect(config.log.pretty).toBe(true);
});

test("DATABASE_URL switches to PostgreSQL", () => {
  expect(parseConfig({ DATABASE_URL: "postgres://u@db:5432/tessera" }).database).toEqual({
    kind: "postgres",
    url: "postgres://u@db:5432/tessera",
  });
});

test.each([
  [{ PORT: "http" }, "PORT"],
  [{ PORT: "70000" }, "PORT"],
  [{ ISSUER: "not a url" }, "ISSUER"],
  [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
  [{ TRUST_PROXY: "maybe" }, "TRUST_PROXY"],
  [{ NODE_ENV: "production" }, "ISSUER is required in production"],
  [{ NODE_ENV: "production", ISSUER: "https://id.example.com" }, "SMTP_URL is required in production"],
  [{ SMTP_URL: "mail.example.com" }, "SMTP_URL"],
  [{ NODE_ENV: "production", ISSUER: "http://id.example.com" }, "ISSUER must use https"],
  [{ NODE_ENV: "production", ISSUER: "https://id.example.com", SMTP_URL: "smtp://mail" }, "TRUST_PROXY must be true in production with an https ISSUER"],
  [{ NODE_ENV: "production", ISSUER: "https://id.example.com", SMTP_URL: "smtp://mail", TRUST_PROXY: "false" }, "TRUST_PROXY must be true"],
])("a malformed setting %j stops start-up naming %s", (env, named) => {
  expect(() => parseConfig(env)).toThrow(ConfigError);
  expect(() => parseConfig(env)).toThrow(named);
});

test("production turns the demo client off unless asked for", () => {
  const production = { NODE_ENV: "production", ISSUER: "https://id.example.com", SMTP_URL: "smtp://mail", TRUST_PROXY: "true" };
  expect(parseConfig(production).demoClient.enabled).toBe(false);
  expect(parseConfig({ ...production, DEMO_CLIENT: "true" }).demoClient.enabled).toBe(true);
});
