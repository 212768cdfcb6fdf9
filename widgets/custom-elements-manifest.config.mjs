// The custom-elements manifest comes from the JSDoc on each element class (attributes, events,
// parts, CSS custom properties) plus what the analyzer reads from Lit's static properties.
export default {
  globs: ["src/ms8-*/ms8-*.ts", "src/shared/base-element.ts"],
  exclude: ["**/*.test.ts", "**/*.stories.ts"],
  outdir: ".",
  litelement: true,
  packagejson: true,
};
