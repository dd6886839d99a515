// ESLint for the site's own scripts (site_templates/assets/*.js): browser scripts, not modules,
// written for the browsers Material for MkDocs supports. Leaflet (L) is a global of the map page.
import js from "@eslint/js";
import globals from "globals";

// The config lives beside its node_modules; the scripts it checks are two folders up.
export default [
  { basePath: "../..", ignores: ["**/node_modules/**", ".venv/**", "site/**", "build/**"] },
  { basePath: "../..", ...js.configs.recommended },
  {
    basePath: "../..",
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
    rules: {
      "no-var": "off",
      eqeqeq: "error",
      "no-implicit-globals": "error",
      "no-unused-vars": "error",
      strict: ["error", "function"],
    },
  },
];
