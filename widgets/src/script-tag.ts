/**
 * Entry of `ms8-widgets.js`, the file for a plain `<script src>`: defines the three tags and
 * exposes `window.MS8.configure({apiBase, getToken})`. A second copy on the page (another
 * version) leaves the tags and the existing `window.MS8` alone; configuration is shared anyway.
 */
import { configure } from "./shared/config.ts";
import "./define.ts";

declare global {
  interface Window {
    MS8?: { configure: typeof configure; version?: string };
  }
}

declare const __MS8_VERSION__: string;

window.MS8 ??= { configure, version: __MS8_VERSION__ };
