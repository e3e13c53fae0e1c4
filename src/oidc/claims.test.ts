import type { ClaimContributor } from "../accounts/index.js";
import { contributedClaims, mergedClaimsByScope } from "./claims.js";

const contributor = (scope: string, claims: string[], values: Record<string, unknown> = {}): ClaimContributor => ({
  scope,
  claims,
  description: scope,
  resolve: async () => values,
});
const standard = { openid: ["sub"], email: ["email", "email_verified"] } as const;

test("a contributor's scope joins the standard ones with its claims", () => {
  expect(mergedClaimsByScope(standard, [contributor("plan", ["plan"])])).toEqual({ openid: ["sub"], email: ["email", "email_verified"], plan: ["plan"] });
});

test("a scope or a claim that is already taken is refused at start", () => {
  expect(() => mergedClaimsByScope(standard, [contributor("email", ["plan"])])).toThrow(/scope email is already defined/);
  expect(() => mergedClaimsByScope(standard, [contributor("plan", ["email"])])).toThrow(/claim email of scope plan/);
});

test("a contributor is asked when its scope is granted or one of its claims is requested by name", async () => {
  const plan = contributor("plan", ["plan"], { plan: "gold" });
  expect(await contributedClaims([plan], "a1", "openid plan", undefined)).toEqual({ plan: "gold" });
  expect(await contributedClaims([plan], "a1", "openid", { plan: null })).toEqual({ plan: "gold" });
  expect(await contributedClaims([plan], "a1", "openid", { email: null })).toEqual({});
});
