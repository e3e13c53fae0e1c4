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
    selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']",
    message: "Only src/config.ts reads process.env: add a typed setting there and pass it in.",
  },
];

export default tseslint.config(
  { ignores: ["src/generated/", "node_modules/", "dist/", "coverage/", "data/", "keys/", "public/"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/return-await": ["error", "in-try-catch"],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
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
