# Hardening (issue 16): what an analyst opens — scraped folders, stores
# and gazetteers that colleagues send — cannot break lector's promises or
# reach outside what was asked. Each case names the promise it keeps.

# ---- a saved gazetteer loads again, whatever its norms hold -----------------
printf 'near Aleppo\n' > gdoc.txt
printf 'alias\tentity\ttype\n\000\357\276\236\tE\tORG\nAleppo\tAleppo\tPLACE\n' > nul.tsv
run "$LECTOR" recipe entities --gazetteer nul.tsv --save nul.lgz gdoc.txt
expect_rc harden-gaz-1.1 0
run "$LECTOR" recipe entities --gazetteer nul.lgz gdoc.txt
expect_rc harden-gaz-1.2 0
expect_out_has harden-gaz-1.3 "Aleppo"

# ---- no Lua module runs from the current directory at startup ---------------
mkdir -p scraped/cjson scraped/lector
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/cjson/safe.lua
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/cjson.lua
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/lector/json.lua
printf 'io.stderr:write("PWNED\\n") os.exit(7)\n' > scraped/ffi.lua
printf 'a scraped page about Aleppo\n' > scraped/page.txt
cd scraped; run "$LECTOR" recipe ingest --db ../mods.db page.txt; cd ..
expect_rc harden-path-1.1 0
expect_err_lacks harden-path-1.2 "PWNED"
cd scraped; run "$LECTOR" -e 'require "cjson.safe"; require "lector.json"; print("ok")'; cd ..
expect_rc harden-path-1.3 0
expect_out harden-path-1.4 "ok"
cd scraped; run "$LECTOR" recipe report --db ../mods.db; cd ..
expect_rc harden-path-1.5 0
expect_err_lacks harden-path-1.6 "PWNED"
# the user's own LUA_PATH still works, after lector's and the system's
mkdir -p mymods && printf 'return { hi = function() return "hi" end }\n' > mymods/mine.lua
LUA_PATH="$PWD/mymods/?.lua" run "$LECTOR" -e 'print(require("mine").hi())'
expect_rc harden-path-1.7 0
expect_out harden-path-1.8 "hi"
cd scraped; LUA_PATH="$PWD/../mymods/?.lua;;" run "$LECTOR" -e 'require "cjson.safe"; print(require("mine").hi())'; cd ..
expect_rc harden-path-1.9 0
expect_out harden-path-1.10 "hi"
