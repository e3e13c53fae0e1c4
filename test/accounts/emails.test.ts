/**
 * The account page's email addresses, through real HTTP and the real mailbox: add, confirm,
 * make primary, remove; the refusals; addresses that belong to someone else; and who may
 * post to the page at all.
 */
import { BrowserSession, interactionPath, newPerson } from "../support/browser-session.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { accountIdOf, emailRows, emailState, newAddress, openAccount, rowFor } from "../support/account-page.js";
import { confirmLinkOf, mailAfter, mailMark, mailsSince } from "../support/mailbox.js";
import { fieldErrorOf, h1Of, inputValueOf, noticeOf, textOf } from "../support/page-text.js";
import { freshUserinfo } from "../support/code-exchange.js";
import { rawPost } from "../support/raw-post.js";
import { signIn, signUp } from "../support/sign-up.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

const addedNotice = (address: string) => `We sent a link to ${address}. Open it to confirm the address; until then it stays unverified.`;

/** Adds `address` on the account page and answers the page shown. */
async function addAddress(session: BrowserSession, address: string) {
  return session.follow("/account/emails", { form: { email: address } });
}

/** Opens the add-email link from the newest "Confirm your new email address" mail and presses its button. */
async function confirmAdded(session: BrowserSession, mark: number, address: string) {
  const mail = await mailAfter(tessera, mark, { to: address, subject: "Confirm your new email address" });
  const link = confirmLinkOf(mail);
  const page = await session.request(link);
  expect(page.status).toBe(200);
  expect(h1Of(page.body)).toBe("Confirm your email address");
  expect(textOf(page.body)).toContain(`Confirm that ${address} is yours.`);
  return { link, result: await session.follow(link, { form: {} }) };
}

test("a signed-up user's account page shows their address as primary and verified", async () => {
  const { session, person } = await signUp(tessera);
  const page = await openAccount(session);
  expect(textOf(page.body)).toContain(`Signed in as ${person.name} (${person.email}).`);
  expect(emailRows(page.body)).toEqual([
    expect.objectContaining({ address: person.email, badges: ["Primary", "Verified"], actions: [] }),
  ]);
});

test("change of email: add, confirm by mail, make primary (userinfo follows), remove the old one", async () => {
  const { session, person } = await signUp(tessera);
  await openAccount(session);
  const accountId = await accountIdOf(tessera, person.email);
  const second = newAddress("second");

  // Add: a notice, an unverified row, and a mail to the new address.
  const mark = mailMark(tessera);
  const added = await addAddress(session, second);
  expect(added.status).toBe(200);
  expect(noticeOf(added.body)).toBe(addedNotice(second));
  expect(rowFor(added.body, second)).toEqual(expect.objectContaining({ badges: ["Awaiting confirmation"], actions: ["resend", "remove"] }));
  expect(rowFor(added.body, person.email)?.badges).toEqual(["Primary", "Verified"]);
  // Merely added addresses do not sign in.
  expect((await tessera.db.prisma.email.findFirst({ where: { userId: accountId, normalized: second } }))?.owned).toBeNull();

  // The mail's link confirms it.
  const { result } = await confirmAdded(session, mark, second);
  expect(result.status).toBe(200);
  expect(h1Of(result.body)).toBe("Email address confirmed");
  expect(textOf(result.body)).toContain(`${second} is confirmed.`);
  let page = await openAccount(session);
  expect(rowFor(page.body, second)).toEqual(expect.objectContaining({ badges: ["Verified"], actions: ["primary", "remove"] }));
  expect(rowFor(page.body, person.email)?.badges).toEqual(["Primary", "Verified"]);

  // Make primary: the primary switches, and a freshly issued token's userinfo says so.
  const secondRow = rowFor(page.body, second)!;
  const primary = await session.follow(`/account/emails/${secondRow.id}/primary`, { form: {} });
  expect(primary.status).toBe(200);
  expect(noticeOf(primary.body)).toBe(`${second} is now your primary address.`);
  expect(rowFor(primary.body, second)?.badges).toEqual(["Primary", "Verified"]);
  expect(rowFor(primary.body, person.email)).toEqual(expect.objectContaining({ badges: ["Verified"], actions: ["primary", "remove"] }));
  expect(textOf(primary.body)).toContain(`Signed in as ${person.name} (${second}).`);
  const userinfo = await freshUserinfo(tessera, session);
  expect(userinfo).toEqual(expect.objectContaining({ sub: accountId, email: second, email_verified: true }));

  // Remove the old, now secondary, address.
  page = await openAccount(session);
  const oldRow = rowFor(page.body, person.email)!;
  const removed = await session.follow(`/account/emails/${oldRow.id}/remove`, { form: {} });
  expect(removed.status).toBe(200);
  expect(noticeOf(removed.body)).toBe(`${person.email} was removed from your account.`);
  expect(emailRows(removed.body).map((row) => row.address)).toEqual([second]);
  expect(await tessera.db.prisma.email.count({ where: { userId: accountId } })).toBe(1);

  // The removed address no longer signs in; the new one does.
  const oldLogin = await signIn(tessera, person.email, person.password);
  expect(oldLogin.hop.status).toBe(401);
  const newLogin = await signIn(tessera, second, person.password);
  expect(newLogin.hop.location).toMatch(new RegExp(`^${tessera.issuer}/demo/callback\\?code=`));
});

describe("refusals explain themselves on the page and change nothing", () => {
  let session: BrowserSession;
  let email: string;
  let accountId: string;
  let unverified: string;

  beforeAll(async () => {
    const signedUp = await signUp(tessera);
    session = signedUp.session;
    email = signedUp.person.email;
    accountId = await accountIdOf(tessera, email);
    unverified = newAddress("pending");
    expect((await addAddress(session, unverified)).status).toBe(200);
  });

  test("removing the primary address (409)", async () => {
    const before = await emailState(tessera, accountId);
    const primaryRow = rowFor((await openAccount(session)).body, email)!;
    expect(primaryRow.actions).not.toContain("remove"); // the page does not offer it…
    const id = before.find((row) => row.primary)!.id;
    const hop = await session.follow(`/account/emails/${id}/remove`, { form: {} }); // …and refuses it when forced
    expect(hop.status).toBe(409);
    expect(noticeOf(hop.body)).toBe("This is your primary address. Make another verified address primary first.");
    expect(rowFor(hop.body, email)?.badges).toEqual(["Primary", "Verified"]);
    expect(await emailState(tessera, accountId)).toEqual(before);
  });

  test("making an unverified address primary (409)", async () => {
    const before = await emailState(tessera, accountId);
    const row = rowFor((await openAccount(session)).body, unverified)!;
    expect(row.actions).not.toContain("primary");
    const hop = await session.follow(`/account/emails/${row.id}/primary`, { form: {} });
    expect(hop.status).toBe(409);
    expect(noticeOf(hop.body)).toBe("Confirm this address first: only a verified address can be primary.");
    expect(rowFor(hop.body, email)?.badges).toEqual(["Primary", "Verified"]);
    expect(await emailState(tessera, accountId)).toEqual(before);
  });

  test.each([
    ["the primary address", () => email],
    ["the primary address in another letter case", () => email.toUpperCase()],
    ["an address still awaiting confirmation", () => unverified],
  ])("adding %s again: the message sits next to the field and the input is kept (409)", async (_label, address) => {
    const before = await emailState(tessera, accountId);
    const mark = mailMark(tessera);
    const hop = await addAddress(session, address());
    expect(hop.status).toBe(409);
    expect(fieldErrorOf(hop.body, "email")).toBe("This address is already on your account.");
    expect(hop.body).toMatch(/<input id="email" name="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-error"/);
    expect(inputValueOf(hop.body, "email")).toBe(address());
    expect(noticeOf(hop.body)).toBeUndefined();
    expect(await emailState(tessera, accountId)).toEqual(before);
    await tessera.jobs.whenIdle();
    expect(mailsSince(tessera, mark, address())).toEqual([]);
  });

  const example = "Enter an email address like name@example.com.";
  test.each([
    ["not-an-address", example],
    ["two@@example.test", example],
    ["spaces in@example.test", "An email address has no spaces, line breaks or other control characters."],
    ["", example],
  ])("adding the malformed address %j (400)", async (address, message) => {
    const before = await emailState(tessera, accountId);
    const hop = await addAddress(session, address);
    expect(hop.status).toBe(400);
    expect(fieldErrorOf(hop.body, "email")).toBe(message);
    expect(inputValueOf(hop.body, "email")).toBe(address);
    expect(hop.body).toContain("<title>Error: Your account · Tessera</title>");
    expect(await emailState(tessera, accountId)).toEqual(before);
  });

  test("acting on an address of another account is refused (404) and changes nothing", async () => {
    const other = await signUp(tessera);
    const otherId = await accountIdOf(tessera, other.person.email);
    const otherBefore = await emailState(tessera, otherId);
    for (const action of ["remove", "primary", "resend"]) {
      const hop = await session.follow(`/account/emails/${otherBefore[0]!.id}/${action}`, { form: {} });
      expect(hop.status).toBe(404);
      expect(noticeOf(hop.body)).toBe("That address is not on your account.");
    }
    expect(await emailState(tessera, otherId)).toEqual(otherBefore);
  });
});

describe("double clicks and two tabs", () => {
  test("pressing Add twice at once adds the address once; the second press says it is already there", async () => {
    const { session, person } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    await openAccount(session);
    const address = newAddress("twice");
    const hops = await Promise.all([0, 1, 2].map(() => addAddress(session, address)));
    expect(hops.map((hop) => hop.status).sort()).toEqual([200, 409, 409]);
    for (const hop of hops.filter((h) => h.status === 409)) {
      expect(fieldErrorOf(hop.body, "email")).toBe("This address is already on your account.");
    }
    expect((await emailState(tessera, accountId)).filter((row) => row.normalized === address)).toHaveLength(1);
  });

  test("making two addresses primary at the same moment leaves exactly one primary", async () => {
    const { session, person } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    await openAccount(session);
    const addresses = [newAddress("tab-one"), newAddress("tab-two")];
    for (const address of addresses) {
      const mark = mailMark(tessera);
      expect((await addAddress(session, address)).status).toBe(200);
      expect((await confirmAdded(session, mark, address)).result.status).toBe(200);
    }
    const page = await openAccount(session);
    const ids = addresses.map((address) => rowFor(page.body, address)!.id);
    const hops = await Promise.all(ids.map((id) => session.follow(`/account/emails/${id}/primary`, { form: {} })));
    expect(hops.map((hop) => hop.status)).toEqual([200, 200]);
    const primaries = (await emailState(tessera, accountId)).filter((row) => row.primary);
    expect(primaries).toHaveLength(1);
    expect(emailRows((await openAccount(session)).body).filter((row) => row.badges.includes("Primary"))).toHaveLength(1);
  });
});

describe("an address that belongs to another account", () => {
  test.each([
    ["exactly as its owner wrote it", (address: string) => address],
    ["in another letter case", (address: string) => address.toUpperCase()],
  ])("adding it %s answers like a successful add, adds nothing, and tells the owner", async (_label, spell) => {
    const owner = await signUp(tessera);
    const ownerId = await accountIdOf(tessera, owner.person.email);
    const ownerBefore = await emailState(tessera, ownerId);

    const adder = await signUp(tessera);
    const adderId = await accountIdOf(tessera, adder.person.email);
    await openAccount(adder.session);

    // What a genuine add looks like, for comparison.
    const genuine = newAddress("genuine");
    const genuineHop = await addAddress(adder.session, genuine);
    const adderBefore = await emailState(tessera, adderId);

    const attempted = spell(owner.person.email);
    const mark = mailMark(tessera);
    const hop = await addAddress(adder.session, attempted);
    expect(hop.status).toBe(genuineHop.status);
    expect(noticeOf(hop.body)).toBe(addedNotice(attempted));
    expect(noticeOf(hop.body)!.replace(attempted, "ADDRESS")).toBe(noticeOf(genuineHop.body)!.replace(genuine, "ADDRESS"));
    expect(fieldErrorOf(hop.body, "email")).toBeUndefined();

    // The adder's list looks as after any add: the address awaits a confirmation that can
    // never come, and it does not belong to the adder.
    expect(rowFor(hop.body, attempted)?.badges).toEqual(rowFor(genuineHop.body, genuine)?.badges);
    const adderAfter = await emailState(tessera, adderId);
    expect(adderAfter.slice(0, adderBefore.length)).toEqual(adderBefore);
    expect(adderAfter.slice(adderBefore.length)).toMatchObject([{ address: attempted, owned: null, primary: false, verifiedAt: null }]);
    // The owner's account is untouched.
    expect(await emailState(tessera, ownerId)).toEqual(ownerBefore);
    expect(await accountIdOf(tessera, owner.person.email)).toBe(ownerId);

    // The owner is told, and gets no link that could move the address.
    const mail = await mailAfter(tessera, mark, { to: owner.person.email, subject: "Someone tried to add your email address to a Tessera account" });
    expect(mail.text).toContain("This address already belongs to an account, so it was not added.");
    expect(mail.links.filter((link) => link.includes("/confirm/"))).toEqual([]);
    await tessera.jobs.whenIdle();
    expect(mailsSince(tessera, mark, owner.person.email).map((m) => m.subject)).toEqual(["Someone tried to add your email address to a Tessera account"]);
    expect(mailsSince(tessera, mark, adder.person.email)).toEqual([]);
  });

  test("an address A added but did not confirm does not stop B registering it; A's link then says it is taken", async () => {
    const a = await signUp(tessera);
    const aId = await accountIdOf(tessera, a.person.email);
    await openAccount(a.session);
    const contested = newAddress("contested");
    const mark = mailMark(tessera);
    expect((await addAddress(a.session, contested)).status).toBe(200);
    const aMail = await mailAfter(tessera, mark, { to: contested, subject: "Confirm your new email address" });

    // B registers with the address A only added.
    const b = await signUp(tessera, { ...newPerson(), email: contested });
    const bId = await accountIdOf(tessera, contested);
    expect(bId).not.toBe(aId);
    const bBefore = await emailState(tessera, bId);

    // A's link now explains that the address belongs to another account; A's row stays unverified.
    const link = confirmLinkOf(aMail);
    const page = await a.session.request(link);
    const result = page.status === 200 ? await a.session.follow(link, { form: {} }) : page;
    expect(result.status).toBe(409);
    expect(textOf(result.body)).toContain("This address now belongs to another account, so it cannot be added to this one.");
    const aRow = (await emailState(tessera, aId)).find((row) => row.normalized === contested)!;
    expect(aRow).toEqual(expect.objectContaining({ owned: null, verifiedAt: null, primary: false }));
    expect(rowFor((await openAccount(a.session)).body, contested)?.badges).toEqual(["Awaiting confirmation"]);
    expect(await emailState(tessera, bId)).toEqual(bBefore);
    expect(rowFor((await openAccount(b.session)).body, contested)?.badges).toEqual(["Primary", "Verified"]);
  });
});

describe("who may use the account page", () => {
  test("a visitor without a session is sent to sign in and comes back to /account", async () => {
    const { person } = await signUp(tessera);
    const visitor = new BrowserSession(tessera.issuer);
    const first = await visitor.request("/account");
    expect(first.status).toBe(303);
    const signIn = new URL(first.location!);
    expect(signIn.pathname).toBe("/auth");
    expect(signIn.searchParams.get("client_id")).toBe("tessera-account");
    expect(signIn.searchParams.get("redirect_uri")).toBe(`${tessera.issuer}/account`);

    const login = await visitor.follow("/account");
    expect(h1Of(login.body)).toBe("Sign in");
    const back = await visitor.follow(`${interactionPath(login)}/login`, { form: { email: person.email, password: person.password } });
    expect(back.status).toBe(200);
    expect(new URL(back.url).pathname).toBe("/account");
    expect(h1Of(back.body)).toBe("Your account");
    expect(rowFor(back.body, person.email)?.badges).toEqual(["Primary", "Verified"]);
  });

  test("a POST from another website, or without the session cookie, changes nothing", async () => {
    const { session, person } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    await openAccount(session);
    const extraAddress = newAddress("csrf-pending");
    expect((await addAddress(session, extraAddress)).status).toBe(200);
    const before = await emailState(tessera, accountId);
    const pendingId = before.find((row) => row.normalized === extraAddress)!.id;
    const mark = mailMark(tessera);
    const target = newAddress("csrf");

    const crossOrigin = await rawPost(tessera, "/account/emails", { email: target }, { cookie: session.cookieHeader, headers: { origin: "https://evil.example" } });
    expect(crossOrigin.status).toBe(403);
    expect(textOf(crossOrigin.body)).toContain("This form was sent from another website");

    const crossSite = await rawPost(tessera, "/account/emails", { email: target }, { cookie: session.cookieHeader, headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);

    const removeCrossOrigin = await rawPost(tessera, `/account/emails/${pendingId}/remove`, {}, { cookie: session.cookieHeader, headers: { origin: "https://evil.example" } });
    expect(removeCrossOrigin.status).toBe(403);

    const noCookie = await rawPost(tessera, "/account/emails", { email: target }, { headers: { origin: new URL(tessera.issuer).origin } });
    expect(noCookie.status).toBe(303);
    expect(new URL(noCookie.location!, tessera.issuer).pathname).toBe("/auth");

    const removeNoCookie = await rawPost(tessera, `/account/emails/${pendingId}/remove`, {});
    expect(removeNoCookie.status).toBe(303);

    expect(await emailState(tessera, accountId)).toEqual(before);
    expect(await tessera.db.prisma.email.count({ where: { normalized: target } })).toBe(0);
    await tessera.jobs.whenIdle();
    expect(mailsSince(tessera, mark, target)).toEqual([]);
    // The same session, posting from Tessera's own page, still works.
    const sameOrigin = await rawPost(tessera, "/account/emails", { email: target }, { cookie: session.cookieHeader, headers: { origin: new URL(tessera.issuer).origin } });
    expect(sameOrigin.status).toBe(303);
    expect(noticeOf((await session.follow("/account")).body) ?? "").toBe("");
    expect(emailRows((await openAccount(session)).body).map((row) => row.address)).toContain(target);
  });
});
