// ESLint (flat config), run in CI by `npm run lint` with zero warnings allowed. Formatting is Prettier's
// (`npm run format:check`): eslint-config-prettier, last, turns off every rule that would fight it.
//
// TypeScript files are linted with type information (one TypeScript program for the repository, from
// tsconfig.json): the whole type-checked recommended set in app/, and in the tools and tests the rules
// that catch a promise nobody awaits, which is a test that cannot fail or a step that silently races.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import prettier from "eslint-config-prettier";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const TS = ["**/*.ts", "**/*.tsx"];
const APP_TS = ["app/**/*.ts", "app/**/*.tsx"];

export default defineConfig(
  globalIgnores(["build/", ".cache/", ".shopify/", "test-output/", "bench-results/", "extensions/*/dist/", "extensions/*/assets/*.js", "extensions/*/shopify.d.ts", "**/*.generated.*", "app/shopify/generated/"]),

  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Everything outside the browser bundles runs on Node: the server, worker, scripts, demo, bench, tests.
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_name` marks a binding left unused on purpose (a key taken out of a rest object, a positional parameter).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },

  {
    files: TS,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: APP_TS })),
  {
    files: APP_TS,
    rules: {
      // Remix's way to end a loader or action early is to throw a Response (redirect, 404).
      "@typescript-eslint/only-throw-error": [
        "error",
        {
          allow: [
            { from: "lib", name: "Response" },
            { from: "package", package: "@remix-run/server-runtime", name: "TypedResponse" },
          ],
        },
      ],
      // Passing on a reason received from elsewhere (an abort signal's, a render error) keeps it as it came,
      // as only-throw-error allows for a rethrow.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },

  {
    // The admin pages and the app's document: React components, rendered on the server and hydrated in the browser.
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    languageOptions: { ...jsxA11y.flatConfigs.recommended.languageOptions, globals: { ...globals.browser, ...globals.node } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      // Each effect it flags copies an asynchronous result (action or fetcher data, revalidated loader data,
      // browser-only state read after hydration) into state the user then edits: the second render is intended.
      "react-hooks/set-state-in-effect": "off",
    },
  },

  {
    // Test code reads JSON bodies and webhook payloads field by field in its assertions: `any` there is the
    // JSON under test, and typing each body would add casts that cannot fail.
    files: ["tests/**", "dev/payloads/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },

  {
    // The theme extension's scripts: plain scripts that Shopify serves to shoppers' browsers, linted in their
    // readable source (extensions-src/); the minified copies in extensions/*/assets/ are built from it (npm run build:theme).
    files: ["extensions-src/*/assets/**/*.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },

  {
    // The checkout and customer-account UI extensions (Preact, bundled by Shopify's CLI) and the page
    // script of the host that renders them in tests and the demo (dev/ui-extension-host/client) run in browsers.
    files: ["extensions/*/src/**", "extensions/order-earnings-ui/**"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["dev/ui-extension-host/client/**/*.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },

  {
    // The checkout and customer-account UI extensions (Preact, bundled by Shopify's CLI) and the page
    // script of the host that renders them in tests and the demo (dev/ui-extension-host/client) run in browsers.
    files: ["extensions/*/src/**", "extensions/order-earnings-ui/**"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["dev/ui-extension-host/client/**/*.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },

  {
    // CommonJS config files (dependency-cruiser reads .cjs).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },

  prettier,
);
