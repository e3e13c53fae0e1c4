/**
 * What a name, an address and a password may be, as a person meets the rules: the
 * registration, reset and account pages refuse with a message next to the field. This
 * Tessera runs with PASSWORD_MIN_LENGTH=12 and ARGON2_TIME_COST=3 (the settings an operator
 * raises), so hashes made with the defaults count as old ones.
 */
import { hash } from "@node-rs/argon2";
import { ConfigError, parseConfig } from "../../src/config.js";
import { BrowserSession, interactionPath, newPerson } from "../support/browser-session.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { openAccount } from "../support/account-page.js";
import { confirmLinkOf, mailAfter, mailMark } from "../support/mailbox.js";
import { fieldErrorOf, h1Of, inputValueOf } from "../support/page-text.js";
import { signIn, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ env: { PASSWORD_MIN_LENGTH: "12", ARGON2_TIME_COST: "3" } });
});
afterAll(async () => tessera?.close());

const goodPassword = "plenty of unrelated words";
const commonMessage = "This is one of the most common passwords, among the first an attacker tries. Choose another; a few unrelated words make a good one.";

async function registerWith(form: { name: string; email: string; password: string }) {
  const session = new BrowserSession(tessera.issuer);
  const path = interactionPath(await session.follow(demoAuthorizeUrl(tessera)));
  return session.request(`${path}/register`, { form });
}

const usersWith = (address: string) => tessera.db.prisma.email.count({ where: { normalized: address.toLowerCase() } });

describe("passwords", () => {
  test("shorter than the configured minimum, or one of the common ones: refused next to the field, nothing created", async () => {
    const person = newPerson();
    const short = await registerWith({ ...person, password: "eleven char" });
    expect(short.status).toBe(400);
    expect(fieldErrorOf(short.body, "password")).toBe("Use at least 12 characters.");
    expect(short.body).toContain('minlength="12"');
    expect(short.body).toContain("At least 12 characters;");

    // In the list in any case; no composition rule would have caught these.
    for (const password of ["1qaz2wsx3edc", "LeaveMeAlone", "FinalFantasy"]) {
      const common = await registerWith({ ...person, password });
      expect(common.status).toBe(400);
      expect(fieldErrorOf(common.body, "password")).toBe(commonMessage);
      expect(inputValueOf(common.body, "email")).toBe(person.email);
    }
    expect(await usersWith(person.email)).toBe(0);
  });

  test("no composition rules; 64 characters and more are fine; the hash uses the configured parameters", async () => {
    const lowercase = newPerson();
    await signUp(tessera, { ...lowercase, password: "only lowercase words" });
    const long = newPerson();
    await signUp(tessera, { ...long, password: "p".repeat(40) + " a passphrase well beyond sixty-four characters" });
    const user = await tessera.db.prisma.user.findFirstOrThrow({ where: { emails: { some: { normalized: long.email.toLowerCase() } } } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=3,p=1\$/);
  });

  test("the reset page refuses a common password next to the field, and the link still works", async () => {
    const { person } = await signUp(tessera, { ...newPerson(), password: goodPassword });
    const browser = new BrowserSession(tessera.issuer);
    const mark = mailMark(tessera);
    await browser.request("/password/forgot", { form: { email: person.email } });
    const link = confirmLinkOf(await mailAfter(tessera, mark, { to: person.email, subject: "Reset your Tessera password" }));
    const refused = await browser.request(link, { form: { password: "qwerty123456" } });
    expect(refused.status).toBe(400);
    expect(fieldErrorOf(refused.body, "password")).toBe(commonMessage);
    expect(refused.body).toMatch(/<input id="password" name="password" type="password"[^>]*aria-invalid="true"/);
    const short = await browser.request(link, { form: { password: "short one" } });
    expect(fieldErrorOf(short.body, "password")).toBe("Use at least 12 characters.");
    expect(h1Of((await browser.request(link, { form: { password: "another set of words" } })).body)).toBe("Password changed");
  });

  test("a hash made with older parameters is upgraded at the next successful sign-in, and keeps working", async () => {
    const { person } = await signUp(tessera, { ...newPerson(), password: goodPassword });
    const where = { emails: { some: { normalized: person.email.toLowerCase() } } };
    const user = await tessera.db.prisma.user.findFirstOrThrow({ where });
    // As Tessera stored it before the operator raised ARGON2_TIME_COST.
    const old = await hash(goodPassword, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    await tessera.db.prisma.user.update({ where: { id: user.id }, data: { passwordHash: old } });

    // A wrong password changes nothing.
    expect((await signIn(tessera, person.email, "not the password at all")).hop.status).toBe(401);
    expect((await tessera.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(old);

    expect((await signIn(tessera, person.email, goodPassword)).hop.location).toMatch(/\/demo\/callback\?code=/);
    const upgraded = (await tessera.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=3,p=1\$/);
    expect((await signIn(tessera, person.email, goodPassword)).hop.location).toMatch(/\/demo\/callback\?code=/);
    expect((await tessera.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(upgraded);
  });

  test("the settings refuse a minimum under 8 and argon2 memory under OWASP's floor, naming the setting", () => {
    expect(() => parseConfig({ PASSWORD_MIN_LENGTH: "6" })).toThrow(ConfigError);
    expect(() => parseConfig({ PASSWORD_MIN_LENGTH: "6" })).toThrow(/PASSWORD_MIN_LENGTH must be at least 8/);
    expect(() => parseConfig({ ARGON2_MEMORY_KIB: "1024" })).toThrow(/ARGON2_MEMORY_KIB must be at least 7168/);
    expect(parseConfig({ PASSWORD_MIN_LENGTH: "64" }).passwords.minLength).toBe(64);
  });
});

describe("names", () => {
  test("a name with a line break or another control character is refused at registration and on the account page", async () => {
    const person = newPerson();
    for (const name of ["Ada\nSubject: free money", "Ada\tLovelace", "Ada\u202Eecalevol", "Ada\u2028Lovelace"]) {
      const refused = await registerWith({ ...person, name, password: goodPassword });
      expect(refused.status).toBe(400);
      expect(fieldErrorOf(refused.body, "name")).toBe("Use letters, spaces and punctuation only: a name cannot hold line breaks, tabs or other control characters.");
    }
    expect(await usersWith(person.email)).toBe(0);

    const { session } = await signUp(tessera, { ...newPerson(), password: goodPassword });
    await openAccount(session);
    const rename = await session.follow("/account/profile", { form: { name: "Ada\r\nBcc: everyone@example.test" } });
    expect(rename.status).toBe(400);
    expect(fieldErrorOf(rename.body, "name")).toMatch(/cannot hold line breaks/);
    // Letters of every script, emoji with joiners and punctuation are names.
    const fine = await session.follow("/account/profile", { form: { name: "Zoë O'Brien-Łukasiewicz 👩‍💻" } });
    expect(fine.status).toBe(200);
  });
});

describe("addresses", () => {
  test.each([
    ["ada lovelace@example.test", "An email address has no spaces, line breaks or other control characters."],
    ["ada@exam\nple.test", "An email address has no spaces, line breaks or other control characters."],
    ["ada@localhost", "Enter the whole domain after @, like example.com."],
    ["ada@-example.test", "The part after @ is not a domain name. Enter one like example.com."],
    ["ada@example..test", "The part after @ is not a domain name. Enter one like example.com."],
    [`${"a".repeat(65)}@example.test`, "The part before @ can be at most 64 characters."],
    [`ada@${"d".repeat(61)}.${"e".repeat(61)}.${"f".repeat(61)}.${"g".repeat(61)}.test`, "Use at most 254 characters: no longer address can receive mail."],
    ["ada..lovelace@example.test", "Enter an email address like name@example.com."],
    ["ada@@example.test", "Enter an email address like name@example.com."],
  ])("%j is refused at registration: %s", async (email, message) => {
    const refused = await registerWith({ name: "Ada", email, password: goodPassword });
    expect(refused.status).toBe(400);
    expect(fieldErrorOf(refused.body, "email")).toBe(message);
  });

  test("addresses of the usual shapes are accepted, international ones included", async () => {
    for (const email of [`ada+tag.${Date.now()}@mail.example.test`, `o'brien.${Date.now()}@example.co.uk`, `zoë.${Date.now()}@exämple.test`]) {
      const hop = await registerWith({ name: "Ada", email, password: goodPassword });
      expect(fieldErrorOf(hop.body, "email")).toBeUndefined();
    }
  });
});
