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
  [{ BRAND_PRIMARY_COLOR: "purple" }, "BRAND_PRIMARY_COLOR must be a hex colour"],
  [{ BRAND_PRIMARY_COLOR: "#12345" }, "BRAND_PRIMARY_COLOR must be a hex colour"],
  [{ BRAND_LOGO: "http://cdn.example.com/logo.png" }, "BRAND_LOGO must be an https URL"],
  [{ BRAND_LOGO: "logo.gif" }, "BRAND_LOGO must name an .svg, .png, .jpg or .webp file"],
  [{ BRAND_SUPPORT_URL: "javascript:alert(1)" }, "BRAND_SUPPORT_URL must be an https:// or mailto: URL"],
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

test("brand settings: the name, a colour in one spelling, a logo URL or file", () => {
  expect(parseConfig({}).brand).toEqual({ name: "Tessera", logo: undefined, primaryColor: undefined, supportUrl: undefined });
  const brand = parseConfig({ BRAND_NAME: "Acme ID", BRAND_PRIMARY_COLOR: "#A1B", BRAND_LOGO: "https://cdn.example.com/acme.svg", BRAND_SUPPORT_URL: "mailto:help@acme.example" }).brand;
  expect(brand).toEqual({ name: "Acme ID", logo: { kind: "url", url: "https://cdn.example.com/acme.svg" }, primaryColor: "#aa11bb", supportUrl: "mailto:help@acme.example" });
  expect(parseConfig({ BRAND_LOGO: "public/assets/favicon.svg" }).brand.logo).toEqual({ kind: "file", file: path.resolve("public/assets/favicon.svg"), contentType: "image/svg+xml" });
});
