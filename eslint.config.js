/**
 * Lint rules for Tessera. The room dependency rules live in .dependency-cruiser.cjs;
 * this file holds the code-level rules, with type information for the TypeScript files
 * (promises that are never awaited are the bugs it is there to catch).
 */
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Every way of reaching the environment besides `process.env` in src/config.ts. */
const environmentReads = [
  {
    selector: "MemberExpression[object.name='process'][property.name='env']",
    message: "Only src/config.ts reads process.env: add a typed setting there and pass it in.",
  },
  {
    selector: "MemberExpression[object.name='process'][computed=true][property.value='env']",
    message: "Only src/config.ts reads process.env: add a typed setting there and pass it in.",
  },
  {
    selector: "VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']",
    message: "Only src/config.ts reads process.env: add a typed setting there and pass it in.",
  },
  {
    selector: "MemberExpression[object.name='process'][property.name='loadEnvFile']",
    message: "Only src/config.ts reads the environment, .env files included.",
  },
  {
    selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name=/^(env|loadEnvFile)$/]",
    message: "Only src/config.ts reads process.env: add a typed setting there and pass it in.",
  },
];

export default tseslint.config(
  { ignores: ["src/generated/", "node_modules/", "dist/", "coverage/", "data/", "keys/", "public/"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Adapter and provider hooks (findAccount, claims, adapter methods) are async by
      // contract; an implementation that needs no await is still right to be async.
      "@typescript-eslint/require-await": "off",
      // Services are factories returning objects of closures (no `this`), so passing
      // `service.method` around is how they are meant to be used.
      "@typescript-eslint/unbound-method": "off",
      // It would strip casts that give a library's `any` a type (koa-views' middleware) or
      // that document a test payload; the no-unsafe-* rules already stop `any` spreading.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allow: [{ from: "lib", name: ["Error", "URL", "URLSearchParams"] }, { from: "package", package: "@types/node", name: ["URL", "URLSearchParams"] }] }],
      "@typescript-eslint/return-await": ["error", "in-try-catch"],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["test/**/*.ts", "src/**/*.test.ts"],
    // Jest's asymmetric matchers (expect.any, expect.stringMatching …) are typed `any` by
    // @types/jest, so every `toEqual({ … expect.any(String) })` would be reported.
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/config.ts"],
    rules: { "no-restricted-syntax": ["error", ...environmentReads] },
  },
);
