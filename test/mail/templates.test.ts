/** Every mail template renders a subject, an HTML part and a text part from views/mail. */
import { mailSubject, mailTemplates, renderMail, type MailTemplate } from "../../src/mail/index.js";

const link = "https://id.example.test/confirm/k3y-ABC_123";

const examples: Record<MailTemplate, Record<string, string>> = {
  registration: { name: "Ana", link, expiresIn: "24 hours" },
  "registration-attempt": { name: "Ana", signInLink: link, resetLink: "https://id.example.test/password/forgot" },
  "add-email": { name: "Ana", address: "ana@work.example", link, expiresIn: "24 hours" },
  "password-reset": { name: "Ana", link, expiresIn: "1 hour" },
  "address-in-use": { address: "ana@work.example" },
  "password-changed": { name: "Ana", how: "reset with a link sent by email", when: "1 December 2026 at 20:15 UTC", where: "IP address 203.0.113.9, Firefox on Linux", resetLink: link },
  "sign-in-link": { application: "Billing", link, expiresIn: "1 hour" },
  "email-changed": { name: "Ana", oldAddress: "ana@old.example", newAddress: "ana@work.example", when: "1 December 2026 at 20:15 UTC", where: "IP address 203.0.113.9", resetLink: link },
};

test.each(mailTemplates)("%s renders a subject, an HTML part and a text part", async (template) => {
  const mail = await renderMail(template, examples[template]);
  expect(mail.subject).toBe(mailSubject(template));
  expect(mail.html).toContain("Tessera");
  expect(mail.html).toContain(`<title>${mail.subject}</title>`);
  const mark = template === "address-in-use" ? "ana@work.example" : link;
  expect(mail.html).toContain(mark);
  expect(mail.text).toContain(mark);
  expect(mail.text).not.toMatch(/<[a-z]/);
});

test("a mail with a link shows it as a button and as a raw link to copy", async () => {
  const { html, text } = await renderMail("registration", examples.registration);
  expect(html.match(new RegExp(`href="${link}"`, "g"))).toHaveLength(2);
  expect(html).toContain(`>${link}</a>`);
  expect(html).toContain(">Confirm my email address</a>");
  expect(text).toContain(`\n${link}\n`);
});

test("the subjects say what the mail is for", async () => {
  expect(mailSubject("registration")).toBe("Confirm your email address");
  expect(mailSubject("add-email")).toBe("Confirm your new email address");
  expect(mailSubject("password-reset")).toBe("Reset your Tessera password");
  expect((await renderMail("password-reset", examples["password-reset"])).text).toContain(
    "If you did not ask for this, ignore this mail; your password stays as it is.",
  );
  const inUse = await renderMail("address-in-use", examples["address-in-use"]);
  expect(inUse.text).toContain("sign in with this address instead");
  expect(inUse.text).toContain("Nothing was changed");
});

test("variables are HTML-escaped in the HTML part and kept as written in the text part", async () => {
  const name = `<script>alert("x")</script> O'Brien & Co`;
  const hostileLink = `https://id.example.test/confirm/a?b=1&c="><img src=x>`;
  const mail = await renderMail("add-email", { name, address: "<b>ana</b>@example.test", link: hostileLink, expiresIn: "1 hour" });
  expect(mail.html).not.toContain("<script>");
  expect(mail.html).not.toContain("<b>ana</b>");
  expect(mail.html).not.toContain("<img");
  expect(mail.html).toContain("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Brien &amp; Co");
  expect(mail.html).toContain("&lt;b&gt;ana&lt;/b&gt;@example.test");
  expect(mail.text).toContain(`Hello ${name},`);
  expect(mail.text).toContain(hostileLink);
});

test("a missing variable is refused, naming it", async () => {
  await expect(renderMail("password-reset", { name: "Ana", expiresIn: "1 hour" })).rejects.toThrow(/password-reset needs link/);
});

test("variables a template does not declare never reach ejs", async () => {
  // `client` and `filename` are ejs options; passed as locals they would change how ejs compiles.
  const mail = await renderMail("address-in-use", { address: "ana@example.test", client: "true", filename: "/etc/passwd" });
  expect(mail.text).toContain("ana@example.test");
});
