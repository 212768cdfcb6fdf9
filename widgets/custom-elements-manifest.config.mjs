// The custom-elements manifest comes from the JSDoc on each element class (attributes, events,
// parts, CSS custom properties) plus what the analyzer reads from Lit's static properties.
// Only the public API goes in: private (#) and protected members and statics are left out, so
// Storybook's docs and controls show what a host can use.
function publicApiOnly() {
  return {
    name: "ms8-public-api-only",
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          declaration.members = declaration.members?.filter(
            (member) =>
              !member.name.startsWith("#") &&
              member.privacy !== "private" &&
              member.privacy !== "protected" &&
              !member.static,
          );
        }
      }
    },
  };
}

export default {
  globs: ["src/ms8-*/ms8-*.ts", "src/shared/base-element.ts"],
  exclude: ["**/*.test.ts", "**/*.stories.ts"],
  outdir: ".",
  litelement: true,
  packagejson: true,
  plugins: [publicApiOnly()],
};
