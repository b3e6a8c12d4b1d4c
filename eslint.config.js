import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "data/**", "test-artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/ban-ts-comment": "error",
      "no-console": "off",
    },
  },
  {
    // Type-aware rules turn the house discipline (no casts, no `!`, no dropped promises, exhaustive
    // switches) into errors. Every .ts/.tsx file is in tsconfig.json, so the project service finds
    // a program for each.
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-assertions": ["error", { assertionStyle: "never" }],
      "@typescript-eslint/no-unnecessary-condition": "error",
      // Off on purpose: some functions are `async` without an `await` so that a throw becomes a
      // rejection the caller handles (server/gateway/handler.ts `command()`), and the embedded
      // stores are async to meet the same interfaces as the Redis ones. Dropping `async` there
      // would turn a rejection into a synchronous throw.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // shared/ is pure: it must never reach into the server or the client (STYLE.md §1).
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server/**", "**/client/**", "node:*", "redis", "socket.io", "express", "react"],
              message: "shared/ is pure TypeScript with no I/O; it imports nothing from server/ or client/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["client/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server/**", "node:*"],
              message: "The client talks to the server only over HTTP and Socket.IO.",
            },
          ],
        },
      ],
    },
  },
);
