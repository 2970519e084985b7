#!/usr/bin/env bash
# make bench, replacement policies: page faults of the swapper's policies on
# the traces of user/swapper/traces.h against Belady's optimal, from the host
# simulator build/host/policysim (docs/bench.md "Replacement policies").
# Writes build/bench/policies.csv (trace,policy,frames,faults for pools of
# M/4 .. 2M frames), build/bench/policies.txt (the "bench: NAME VALUE UNIT"
# lines at M frames) and build/bench/faults_<trace>.png (faults against
# frames, a line per policy, OPT drawn in); prints the table of faults / OPT.
# M is POLICY_MEM (default 128). Builds nothing, like bench.sh: make builds
# build/host/policysim (tests/host/policy_test.mk). Fails if policysim or
# gnuplot is missing or a run fails; the figures themselves are never fatal.
set -u
cd "$(dirname "$0")/.." || exit 1

BUILD=build
OUT=$BUILD/bench
SIM=$BUILD/host/policysim
MEM=${POLICY_MEM:-128}

die() {
	echo "bench-policies: FAILED: $*" >&2
	exit 1
}

[ -x "$SIM" ] || die "$SIM is missing: run 'make $SIM'"
command -v gnuplot >/dev/null ||
	die "gnuplot is missing: install the Debian package gnuplot-nox (scripts/deps.sh)"
# pngcairo draws smoother lines; plain png (libgd) is the fallback.
terms=$(gnuplot -e 'set terminal' 2>&1)
if grep -qw pngcairo <<<"$terms"; then
	TERM_SPEC="pngcairo size 800,500"
elif grep -qw png <<<"$terms"; then
	TERM_SPEC="png size 800,500"
else
	die "this gnuplot has neither the pngcairo nor the png terminal"
fi

mkdir -p "$OUT"
"$SIM" --mem "$MEM" --csv "$OUT/policies.csv" >"$OUT/policies.txt" ||
	die "$SIM --mem $MEM failed"
grep -q '^bench: faults_geomean_' "$OUT/policies.txt" || die "no figures in $OUT/policies.txt"

# One table per trace for gnuplot: frames, then a column per policy, OPT
# first (columns in the CSV's order of appearance).
traces=$(awk -F, 'NR > 1 && !seen[$1]++ { print $1 }' "$OUT/policies.csv")
for t in $traces; do
	dat=$OUT/faults_$t.dat
	awk -F, -v t="$t" '
		NR > 1 && $1 == t {
			if (!($2 in col)) { col[$2] = ++ncol; name[ncol] = $2 }
			if (!($3 in row)) { row[$3] = ++nrow; frames[nrow] = $3 }
			v[row[$3], col[$2]] = $4
		}
		END {
			printf "frames opt"
			for (c = 1; c <= ncol; c++) if (name[c] != "opt") printf " %s", name[c]
			printf "\n"
			for (r = 1; r <= nrow; r++) {
				printf "%s %s", frames[r], v[r, col["opt"]]
				for (c = 1; c <= ncol; c++) if (name[c] != "opt") printf " %s", v[r, c]
				printf "\n"
			}
		}' "$OUT/policies.csv" >"$dat"
	ncols=$(head -n 1 "$dat" | wc -w)
	gnuplot <<EOF || die "gnuplot failed on $dat"
set terminal $TERM_SPEC
set output "$OUT/faults_$t.png"
set title "Page faults on the $t trace (shaped for $MEM frames)"
set xlabel "pool frames"
set ylabel "page faults"
set key top right
set grid
set yrange [0:*]
set linetype 2 linecolor rgb "#d62728"
set linetype 3 linecolor rgb "#1f77b4"
set linetype 4 linecolor rgb "#8c8c8c"
set linetype 5 linecolor rgb "#2ca02c"
set linetype 6 linecolor rgb "#9467bd"
set arrow from $MEM, graph 0 to $MEM, graph 1 nohead dashtype 3
plot "$dat" using 1:2 with lines linewidth 3 linecolor rgb "black" title "OPT (Belady)", \
     for [i=3:$ncols] "$dat" using 1:i with linespoints linewidth 1.5 pointsize 0.8 \\
         title columnheader(i)
EOF
done

echo "Replacement policies (docs/bench.md): $OUT/policies.csv, $OUT/policies.txt,"
echo "plots $OUT/faults_{$(paste -sd, <<<"$traces")}.png"
echo
"$SIM" --mem "$MEM" --table || die "$SIM --table failed"
