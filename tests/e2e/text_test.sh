# End-to-end: the text core through the binary — lector.tokenize in scripts,
# bad UTF-8 errors with the byte position, and the stats recipe.

run "$LECTOR" -e 'local t = lector.tokenize("ISIS’s fighters in Al-Bab, U.S. trained.")
  local out = {}
  for _, x in t:each() do out[#out + 1] = x.text .. "/" .. x.kind end
  print(table.concat(out, " "))'
expect_rc text-1.1 0
expect_out text-1.2 "ISIS/word ’s/clitic fighters/word in/word Al/word -/punct Bab/word ,/punct U.S./word trained/word ./punct"

printf 'Syrian Army on Brink\n\nThe city fell. Mr. Smith left.\n' > a.txt
cat > sent.lua <<'LUA'
local f = assert(io.open(arg[1], "rb"))
local s = f:read("*a")
f:close()
local toks = lector.tokenize(s)
for _, se in ipairs(toks:sentences()) do print(se.start, se.stop, s:sub(se.start, se.stop)) end
LUA
run "$LECTOR" run sent.lua a.txt
expect_rc text-2.1 0
expect_out text-2.2 "1	20	Syrian Army on Brink
23	36	The city fell.
38	52	Mr. Smith left."

printf 'good\nbad \377 byte\n' > bad.txt
run "$LECTOR" -e 'local f = io.open("bad.txt", "rb"); local s = f:read("*a"); f:close()
  lector.tokenize(s)'
expect_rc text-3.1 1
expect_err_has text-3.2 "tokenize: invalid UTF-8 at byte 10: invalid byte"
run "$LECTOR" -e 'print(lector.text.valid("ok\226\130"))'
expect_out text-3.3 "false	3	truncated sequence at end of input"
run "$LECTOR" -e 'print(lector.text.fold("Ḥalab’s “Deir ez‐Zor” — ok"))'
expect_out text-3.4 "halab's \"deir ez-zor\" - ok"

mkdir docs
printf 'Aleppo and Raqqa fell. ISIS’s fighters left 5,000 dead.\n' > docs/a.txt
printf 'See http://x.org/a now. Aleppo!\n' > docs/b.txt
run "$LECTOR" recipe stats --top 1 --format json docs
expect_rc text-4.1 0
run_in "$OUT" "$LECTOR" -e 'local t = lector.json.decode(io.read("*a"))
  print(t.documents, t.tokens, t.sentences, t.kinds.word, t.kinds.punct, t.kinds.clitic,
    t.kinds.number, t.kinds.url, t.top_words[1].word, t.top_words[1].count)'
expect_out text-4.2 "2	18	4	11	4	1	1	1	aleppo	2"
run "$LECTOR" recipe stats docs
expect_out_has text-4.3 "sentences  4"
expect_out_has text-4.4 "tokens     18"
cp bad.txt docs/
run "$LECTOR" recipe stats docs
expect_rc text-4.5 1
expect_err_has text-4.6 "bad.txt: invalid UTF-8 at byte 10: invalid byte"

corpus=$(shared_corpus)
if [ -n "$corpus" ]; then
  run "$LECTOR" recipe stats --format json "$corpus"
  expect_rc text-5.1 0
  run_in "$OUT" "$LECTOR" -e 'local t = lector.json.decode(io.read("*a"))
    print(t.documents, t.bytes, t.kinds.url, t.top_words[1].word, t.sentences > 100)'
  expect_out text-5.2 "5	27330	1	the	true"
else
  skip_all "no seed corpus in ../shared/corpus/news" text-5.1 text-5.2
fi
