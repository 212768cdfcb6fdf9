import { defineConfig } from "vite";

// GitHub Pages serves the Storybook from /<repo>/, so every asset path stays relative.
export default defineConfig({ base: "./" });
