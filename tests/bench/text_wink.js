// Peer: wink-nlp with its English lite model, tokens only; one pass over
// the corpus in a fresh process (bench_text.sh's tab-separated row).
// Usage: node text_wink.js CORPUS [MAX_MB]
const fs = require('fs');
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const nlp = winkNLP(model, []); // no pipeline beyond tokenization
let docs = fs.readFileSync(process.argv[2], 'utf8').split('\n\f\n');
if (parseFloat(process.argv[3] || '0') > 0) {
  const limit = parseFloat(process.argv[3]) * 1e6;
  const keep = [];
  let size = 0;
  for (const d of docs) {
    if (size >= limit) break;
    keep.push(d);
    size += Buffer.byteLength(d, 'utf8');
  }
  docs = keep;
}
let bytes = 0;
for (const d of docs) bytes += Buffer.byteLength(d, 'utf8');
const t0 = process.cpuUsage();
let n = 0;
for (const d of docs) n += nlp.readDoc(d).tokens().length();
const u = process.cpuUsage(t0);
const t = (u.user + u.system) / 1e6;
console.log(['wink-nlp tokens', bytes, n, 'tokens', t.toFixed(6), '-'].join('\t'));
