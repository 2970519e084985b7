# Replacement-policy tests (user/swapper/{clock,fifo,random,clockpro}.c and
# traces.c) and the policy simulator, included by the main Makefile.
#   build/host/policy_test  the PASS/FAIL tests (HOST-policy), under ASan/UBSan
#   build/host/policysim    the simulator make bench runs
#                           (scripts/bench-policies.sh): optimised, no sanitizers
# Self-contained (own flags and rules), so it works wherever it is included.
POLICY_SRCS := user/swapper/clock.c user/swapper/fifo.c user/swapper/random.c \
	user/swapper/clockpro.c user/swapper/traces.c tests/host/policysim.c
POLICY_HDRS := user/swapper/policy.h user/swapper/swapper.h user/swapper/traces.h \
	tests/host/policysim.h
POLICY_TEST_SRCS := tests/host/policy_test.c tests/host/check.c $(POLICY_SRCS)
POLICY_HOST_BINS := $(BUILD)/host/policy_test $(BUILD)/host/policysim
POLICY_HOST_FLAGS := -std=c11 -g -Wall -Wextra -Werror -I. -Ikernel/uapi

$(BUILD)/host/policy_test: $(POLICY_TEST_SRCS) $(POLICY_HDRS) tests/host/check.h tests/host/policy_test.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(POLICY_HOST_FLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
		-DPOLICYSIM_NO_MAIN $(filter %.c,$^) -o $@ -lm

$(BUILD)/host/policysim: $(POLICY_SRCS) $(POLICY_HDRS) tests/host/policy_test.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(POLICY_HOST_FLAGS) -O2 $(filter %.c,$^) -o $@ -lm
