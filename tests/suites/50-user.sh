# shellcheck shell=bash
# User space under QEMU: the root task's test suite (boot argument "utest").
# Its PASS/FAIL lines count one by one; the boot itself is one more test.
echo "== user space (init's test suite)"
boot_test USER-001 "init runs the user test suite and exits 0; kills are one line each" -i -u \
	-a utest -t 120 \
	-e 'pagoda: starting init \(pid 1' -e '^[0-9]+ passed, 0 failed' \
	-e 'pagoda: init exited with status 0' \
	-e '^kill: process child \(pid [0-9]+\) thread [0-9]+: load page fault at 0xffffffc000000000, pc 0x[0-9a-f]+$' \
	-e '^kill: process child \(pid [0-9]+\) thread [0-9]+: instruction page fault at 0x3ff' \
	-e ': the region forbids it$' -e ': the pager went away \(-18\)$' \
	-e ': the pager did not answer in time \(20\)$' -e ": the region's pager is gone$"
boot_test USER-002 "make run's demo: init starts hello, which prints with printf and exits" -i \
	-e 'hello from user space' -e 'init: hello exited with status 0' \
	-e 'pagoda: init exited with status 0'
