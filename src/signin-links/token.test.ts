/** A sign-in link's token verifies only for the exact client, address, target and expiry it was made for. */
import { linkTokens } from "./token.js";

const fields = { id: "5f0c2a4e-8f1b-4c3d-9a7e-2b6d1e0f3a4c", clientId: "billing", email: "ann@example.com", target: "https://billing.example/manage/plans", expiresAt: new Date("2026-12-02T10:00:00Z") };

test("a token made for one client, address, target or expiry does not verify for another", () => {
  const tokens = linkTokens(["key-one"]);
  const token = tokens.sign(fields);
  expect(tokens.idOf(token)).toBe(fields.id);
  expect(tokens.verify(token, fields)).toBe(true);
  for (const other of [{ clientId: "shop" }, { email: "bob@example.com" }, { target: "https://billing.example/manage/plans/" }, { expiresAt: new Date("2026-12-02T10:00:01Z") }]) {
    expect(tokens.verify(token, { ...fields, ...other })).toBe(false);
  }
});

test("a token signed with a key that is not configured is refused; an older configured key still verifies", () => {
  expect(linkTokens(["key-one"]).verify(linkTokens(["elsewhere"]).sign(fields), fields)).toBe(false);
  expect(linkTokens(["key-two", "key-one"]).verify(linkTokens(["key-one"]).sign(fields), fields)).toBe(true);
});

test("malformed tokens name no link", () => {
  const tokens = linkTokens(["key-one"]);
  for (const bad of ["", "abc", `${fields.id}.short`, `${fields.id.toUpperCase()}.${"a".repeat(43)}`, `${fields.id}.${"a".repeat(43)}x`]) expect(tokens.idOf(bad)).toBeUndefined();
});
