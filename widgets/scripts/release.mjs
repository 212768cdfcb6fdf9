// After the builds: ship the custom-elements manifest inside dist/ as well (the BFF serves dist/)
// and write dist/release.json, the version and the Subresource Integrity hash of every file, which
// the README points hosts to for their <script integrity="...">.
import { createHash } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

copyFileSync(join(root, "custom-elements.json"), join(dist, "custom-elements.json"));

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

const files = {};
for (const path of walk(dist).sort()) {
  const name = relative(dist, path);
  if (name === "release.json" || name.endsWith(".map")) continue;
  const body = readFileSync(path);
  // Classic scripts take the host page's charset: the vite build escapes non-ASCII, keep it so.
  if (name.endsWith(".js") && body.some((byte) => byte > 0x7f)) {
    console.error(`${name} contains non-ASCII bytes; a page in another charset would garble it`);
    process.exit(1);
  }
  files[name] = { bytes: body.length, integrity: `sha384-${createHash("sha384").update(body).digest("base64")}` };
}
writeFileSync(
  join(dist, "release.json"),
  `${JSON.stringify({ version, path: `/widgets/v${version}/`, files }, null, 2)}\n`,
);
console.log(`dist/release.json: ${Object.keys(files).length} files of @ms8/widgets ${version}`);
console.log(`ms8-widgets.js integrity: ${files["ms8-widgets.js"]?.integrity}`);
