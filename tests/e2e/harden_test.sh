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
