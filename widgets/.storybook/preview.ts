/**
 * Every story talks to the fake API of fake-api/fake-api.ts running inside the page (through
 * `MS8.configure({fetch})`), so Storybook needs no BFF. The toolbar switches theme and locale;
 * controls and docs come from the custom-elements manifest.
 */

import type { Preview } from "@storybook/web-components-vite";
import { setCustomElementsManifest } from "@storybook/web-components-vite";
import manifest from "../custom-elements.json";
import { createFakeApi } from "../fake-api/fake-api.ts";
import { configure } from "../src/shared/config.ts";
import "../src/define.ts";

setCustomElementsManifest(manifest);

const fakeApi = createFakeApi({ slowMs: 2500 });
configure({
  apiBase: "https://fake-api.ms8.invalid",
  getToken: () => "storybook-local-token",
  fetch: (input, init) => fakeApi(new Request(input, init)),
});

const preview: Preview = {
  globalTypes: {
    theme: {
      description: "Colour scheme of the widgets",
      toolbar: {
        title: "Theme",
        icon: "mirror",
        items: [
          { value: "auto", title: "Auto (prefers-color-scheme)" },
          { value: "light", title: "Light" },
          { value: "dark", title: "Dark" },
        ],
        dynamicTitle: true,
      },
    },
    locale: {
      description: "Locale of text, numbers and dates",
      toolbar: {
        title: "Locale",
        icon: "globe",
        items: [
          { value: "en", title: "English" },
          { value: "de", title: "Deutsch" },
          { value: "ar", title: "العربية (RTL)" },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: "light", locale: "en" },
  parameters: {
    layout: "padded",
    controls: { expanded: true },
    backgrounds: { disable: true },
  },
};

export default preview;
