// Builds the survey page and the console into dist/ (committed: the gateway
// embeds it, so `cargo run` needs no Node), with a .gz beside each file for
// browsers that accept gzip, and prints each bundle's size.
//
//   node build.mjs            # into dist/
//   node build.mjs <dir>      # elsewhere (scripts/web check compares)
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync, constants } from "node:zlib";

const out = process.argv[2] ?? "dist";

// The pages: an HTML shell each, one script and one stylesheet.
const entries = {
  survey: "src/survey/main.ts",
  console: "src/console/main.tsx",
};

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });

await build({
  entryPoints: entries,
  outdir: join(out, "assets"),
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022", "chrome110", "safari16", "firefox115"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
  // Chart.js only ships what the console registers; nothing reads process.env.
  define: { "process.env.NODE_ENV": '"production"' },
});

for (const page of Object.keys(entries)) {
  copyFileSync(`src/${page}/${page}.html`, join(out, `${page}.html`));
}

// gzip at the best level, with no name or time in the header: the same
// sources give the same bytes.
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(out);
const sizes = [];
for (const path of files) {
  const bytes = readFileSync(path);
  const gzipped = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
  writeFileSync(`${path}.gz`, gzipped);
  sizes.push([relative(out, path), bytes.length, gzipped.length]);
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`.padStart(10);
console.log(`${"file".padEnd(24)}${"raw".padStart(10)}${"gzip".padStart(10)}`);
for (const [name, raw, gz] of sizes) console.log(`${name.padEnd(24)}${kb(raw)}${kb(gz)}`);
