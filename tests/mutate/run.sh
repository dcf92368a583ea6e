#!/bin/sh
# Mutation testing, the way SQLite does it without a tool: each mutation in
# tests/mutate/mutations.txt names a file, an exact text in it and what to
# put there instead. Each is applied alone to a scratch copy of the tree,
# which is rebuilt and run against the tests until the first failing case
# (the suites the mutation names first, then all of them). A mutation is
# KILLED (by that case), SURVIVED (every suite passed), NOT APPLIED (the
# file or the text is gone, or the text is there more than once: re-point
# it after code moves) or STILLBORN (the mutant does not build).
#
# Usage: tests/mutate/run.sh [ID...]     (make mutate; MUTATE_JOBS=2)
# Prints one line per mutation and the kill rate, and writes the table to
# tests/mutate/RESULTS.md (only when the whole list ran).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
list="$root/tests/mutate/mutations.txt"
jobs=${MUTATE_JOBS:-2}
shared=${LECTOR_SHARED:-$root/../shared}
[ -d "$shared" ] && shared=$(cd "$shared" && pwd)
export LECTOR_SHARED="$shared"
field() { sed -n "s/^$2	//p" "$1" | head -n 1; }
if [ "${1:-}" = --one ]; then
  mode=one work=$MUTATE_WORK
else
  mode=all work=$(mktemp -d "${TMPDIR:-/tmp}/lector-mutate.XXXXXX")
  chmod 755 "$work" # tests that drop to nobody run the mutant's binary
  trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM # an interrupted run writes no table
fi
t0=$(date +%s)

# run_suite DIR NAME: runs one suite of the tree in DIR; its output in
# $DIR.out; exit 0 when it passed. A suite gets 300 s (a mutant may loop).
run_suite() {
  d=$1 s=$2
  case "$s" in # a suite that is not there (renamed) is no failure
    c/*) [ -x "$d/build/tests/${s#c/}" ] ;;
    spec/*) [ -f "$d/tests/spec/${s#spec/}.lua" ] ;;
    e2e/*) [ -f "$d/tests/e2e/${s#e2e/}.sh" ] ;;
  esac || return 0
  case "$s" in
    c/*) (cd "$d" && timeout 300 "build/tests/${s#c/}") ;;
    spec/*) (cd "$d" && timeout 300 build/lector tests/spec/run.lua "tests/spec/${s#spec/}.lua") ;;
    e2e/*) (cd "$d" && LECTOR_BIN="$d/build/lector" timeout 300 sh tests/e2e/run.sh "tests/e2e/${s#e2e/}.sh") ;;
    *) echo "FAIL $s: no such suite"; return 1 ;;
  esac >"$d.out" 2>&1
  rc=$?
  [ $rc = 0 ] && ! grep -q '^FAIL ' "$d.out"
}

# one MUTATION-FILE: appends "id<TAB>file<TAB>result<TAB>by" to the
# results and prints it for people.
one() {
  m=$1
  id=$(field "$m" id) file=$(field "$m" file)
  find=$(field "$m" find) repl=$(field "$m" repl) first=$(field "$m" first)
  d="$work/run.$id"
  cp -a "$work/base" "$d"
  why=$(perl -e '
    my ($path, $find, $repl) = @ARGV;
    s/\\(n|t|\\)/$1 eq "n" ? "\n" : $1 eq "t" ? "\t" : "\\"/ge for $find, $repl;
    open my $f, "<", $path or do { print "no file $ARGV[0]"; exit 1 };
    local $/; my $s = <$f>; close $f;
    my $n = () = $s =~ /\Q$find\E/g;
    if ($n != 1) { print $n ? "text found $n times" : "text not found"; exit 1 }
    $s =~ s/\Q$find\E/$repl/;
    open $f, ">", $path or die; print $f $s; close $f;
  ' "$d/$file" "$find" "$repl")
  if [ $? != 0 ]; then
    report "$id" "$file" "NOT APPLIED" "$why"
  elif ! make -C "$d" -s tests >"$d.build" 2>&1; then
    report "$id" "$file" STILLBORN "$(grep -m1 error "$d.build")"
  else
    verdict="SURVIVED" by="-"
    for s in $first $(grep -vxF "$(printf '%s\n' $first)" "$work/suites"); do
      if ! run_suite "$d" "$s"; then
        by=$(grep -m1 -E '^FAIL ' "$d.out" | sed -E 's/^FAIL (([^:]|:[^ ])*): .*/\1/' | cut -c1-70 | tr -d '|')
        [ -n "$by" ] || by="crashed (exit $rc, no FAIL line)"
        verdict=KILLED by="$s $by"
        break
      fi
    done
    report "$id" "$file" "$verdict" "$by"
  fi
  chmod -R u+rwx "$d" 2>/dev/null; rm -rf "$d" "$d.out" "$d.build"
}

# report ID FILE RESULT BY
report() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$work/results"
  printf '%-28s %-11s %s  (%s)\n' "$1" "$3" "$4" "$2"
}

if [ $mode = one ]; then one "$2"; exit 0; fi

# Split the list into one file per mutation: $work/m/NNN (id, file, find,
# repl, first, note as "key<TAB>value" lines).
mkdir -p "$work/m"
perl -e '
  my ($list, $dir) = @ARGV; open my $f, "<", $list or die "$list: $!";
  my ($n, $out) = (0, undef);
  while (<$f>) {
    chomp; next if /^\s*#/;
    if (/^== (\S+)/) { close $out if $out; $n++;
      open $out, ">", sprintf("%s/%03d", $dir, $n) or die; print $out "id\t$1\n"; next }
    next unless $out && /^(file|find|repl|first|note):\s?(.*)$/;
    print $out "$1\t$2\n";
  }
' "$list" "$work/m" || exit 2

# --check: only whether each mutation's text is found once (after moves).
if [ "${1:-}" = --check ]; then
  bad=0
  for m in "$work"/m/*; do
    f=$(field "$m" file) find=$(field "$m" find)
    why=$(perl -e 'my ($p, $x) = @ARGV; $x =~ s/\\(n|t|\\)/$1 eq "n" ? "\n" : $1 eq "t" ? "\t" : "\\"/ge;
      open my $f, "<", $p or do { print "no file"; exit 1 }; local $/; my $s = <$f>;
      my $n = () = $s =~ /\Q$x\E/g; print $n == 1 ? "" : $n ? "found $n times" : "not found"; exit($n != 1)' "$root/$f" "$find") ||
      { bad=$((bad + 1)); echo "NOT APPLIED $(field "$m" id) ($f): $why"; }
  done
  echo "$(ls "$work"/m | wc -l) mutations, $bad not applicable"
  exit $((bad > 0))
fi

# The pristine tree, built once; each mutant starts as a copy of it, so
# only what the mutation touches is rebuilt.
echo "building a pristine copy in $work/base ..."
mkdir -p "$work/base"
(cd "$root" && tar --exclude=./.git --exclude='./build*' -cf - .) | (cd "$work/base" && tar -xf -)
if ! make -C "$work/base" -s tests >"$work/base.log" 2>&1; then
  echo "the pristine tree does not build:"; tail -20 "$work/base.log"; exit 2
fi

only=" $* "

# Every suite, in the order a full run takes them after a mutation's own.
all_suites() {
  for t in "$work/base"/build/tests/test_*; do
    case "$t" in *.d) continue ;; esac
    echo "c/$(basename "$t")"
  done
  for t in "$root"/tests/spec/*_spec.lua; do echo "spec/$(basename "$t" .lua)"; done
  for t in "$root"/tests/e2e/*_test.sh; do echo "e2e/$(basename "$t" .sh)"; done
}
all_suites >"$work/suites"

# A mutant counts as killed only if the pristine tree passes every suite.
echo "running the tests on the pristine copy ..."
for s in $(cat "$work/suites"); do
  if ! run_suite "$work/base" "$s"; then
    echo "the pristine tree fails $s (fix that first):"; grep -m5 '^FAIL' "$work/base.out"; exit 2
  fi
done

todo=""
for m in "$work"/m/*; do
  id=$(field "$m" id)
  if [ "$only" = "  " ] || case "$only" in *" $id "*) true ;; *) false ;; esac; then
    todo="$todo $m"
  fi
done

# Run the mutants JOBS at a time; each prints its line as it ends.
: >"$work/results"
# (a copy of this script runs the mutants: editing it meanwhile is safe)
cp "$0" "$work/run.sh"
printf '%s\n' $todo | MUTATE_WORK="$work" xargs -P "$jobs" -n 1 sh "$work/run.sh" --one

total=$(grep -c . "$work/results")
killed=$(awk -F'\t' '$3 == "KILLED"' "$work/results" | wc -l)
survived=$(awk -F'\t' '$3 == "SURVIVED"' "$work/results" | wc -l)
other=$((total - killed - survived))
secs=$(($(date +%s) - t0))
echo
echo "$killed killed, $survived survived, $other not applied or stillborn of $total mutations ($((killed * 100 / (killed + survived > 0 ? killed + survived : 1)))% of those applied killed) in ${secs}s"

if [ "$only" = "  " ]; then
  out="$root/tests/mutate/RESULTS.md"
  {
    echo "# Mutation results"
    echo
    echo "Written by \`make mutate\` (tests/mutate/run.sh) on $(date -u +%Y-%m-%d);"
    echo "$killed killed, $survived survived, $other not applied or stillborn of"
    echo "$total, in ${secs}s. The mutations and why each matters are in"
    echo "mutations.txt; a survivor is either a test still to write or an"
    echo "equivalent mutation, whose note there says why."
    echo
    echo "| mutation | file | result | killed by (suite, case) |"
    echo "|---|---|---|---|"
    sort -t'	' -k1,1 "$work/results" | awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
  } >"$out"
  echo "table written to tests/mutate/RESULTS.md"
fi
[ "$survived" = 0 ] && [ "$other" = 0 ]
