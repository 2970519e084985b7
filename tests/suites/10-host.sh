# shellcheck shell=bash
# Host unit tests: every build/host/*_test binary.
echo "== host unit tests"
for t in "$BUILD"/host/*_test; do
	name=$(basename "$t" _test)
	host_suite "HOST-$name" "$t"
done

