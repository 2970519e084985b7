# shellcheck shell=bash
# Short deterministic fuzz runs of the parsers of untrusted input
# ('make fuzz' runs them longer).
echo "== parser fuzzing (brief)"
for target in fdt:"device trees" elf:"ELF images" cpio:"cpio archives" gpt:"GPT tables"; do
	name=${target%%:*} what=${target#*:}
	id=FUZZ-$(case $name in fdt) echo 001 ;; elf) echo 002 ;; cpio) echo 003 ;; gpt) echo 004 ;; esac)
	scripts/fuzz.sh --brief "$name" > "$LOGS/fuzz-$name.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		runs=$(grep -oE 'Done [0-9]+ runs' "$LOGS/fuzz-$name.log" | head -1 | cut -d' ' -f2)
		pass "$id" "the $name parser survives $runs fuzzed $what under ASan/UBSan"
	else
		fail "$id" "the $name parser survives fuzzed $what" "libFuzzer exited $rc"
		tail -n 60 "$LOGS/fuzz-$name.log"
	fi
done
