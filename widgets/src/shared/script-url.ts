/**
 * Files published beside `ms8-widgets.js` (the chart, the language catalogues), for the script-tag
 * build. The script's URL is read while the script is being evaluated; later `currentScript` is null.
 */
const scriptUrl =
  (document.currentScript as HTMLScriptElement | null)?.src ||
  document.querySelector<HTMLScriptElement>('script[src*="ms8-widgets"]')?.src ||
  document.baseURI;

export const besideTheScript = (file: string): string => new URL(file, scriptUrl).href;
