// custom-elements.json is generated (`pnpm analyze`); before the first build this keeps the import typed.
declare module "*/custom-elements.json" {
  const manifest: object;
  export default manifest;
}
