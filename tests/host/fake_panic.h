/*
 * Host stand-in for the kernel's panic(): a test arms expect_panic() and
 * the code under test's panic() longjmps back, so "this must panic" is
 * testable. An unexpected panic aborts the test binary.
 */
#ifndef TESTS_HOST_FAKE_PANIC_H
#define TESTS_HOST_FAKE_PANIC_H

#include <setjmp.h>

extern jmp_buf panic_jump;
extern int panic_armed;
extern char panic_message[256];

/* Usage: if (EXPECT_PANIC()) { code that must panic; CHECK(0); } CHECK(strstr(panic_message, "...")); */
#define EXPECT_PANIC() (panic_armed = 1, setjmp(panic_jump) == 0)

#endif
