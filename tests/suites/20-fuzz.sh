# A short deterministic fuzz run of the device-tree parser.
echo "== device-tree parser fuzzing (brief; 'make fuzz' runs longer)"
scripts/fuzz.sh --brief > "$LOGS/fuzz.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	pass FUZZ-001 "fdt_parse survives $(grep -oE 'Done [0-9]+ runs' "$LOGS/fuzz.log" | head -1 | cut -d' ' -f2) fuzzed inputs under ASan/UBSan"
else
	fail FUZZ-001 "fdt_parse survives fuzzed inputs" "libFuzzer exited $rc"
	tail -n 60 "$LOGS/fuzz.log"
fi

