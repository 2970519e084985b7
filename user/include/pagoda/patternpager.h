/*
 * The control protocol of "patternpager", the test pager (user/patternpager).
 *
 * It starts like every libpager pager (pager_announce: its endpoint arrives
 * at the bootstrap endpoint in a PAGER_HELLO call). Faults on it are
 * answered with a frame of its own, filled through a scratch mapping in
 * its own space and then unmapped there:
 *   - a read or write fault: word i of the page at va holds va + 8*i
 *     (PATTERN_WORD), mapped read-write (read-only in a read-only region);
 *   - an execute fault: a page of `ret` instructions, mapped read-execute.
 * Other calls on the same endpoint are these controls (the reply has the
 * same label, or PAGER_FAIL with w0 = an error).
 */
#ifndef PAGODA_PATTERNPAGER_H
#define PAGODA_PATTERNPAGER_H

#define PATTERN_WORD(va) (va) /* the value of the word at va: its address */
#define RET_INSN 0x00008067UL  /* jalr x0, 0(ra) */

enum pp_label {
	/* w0 = badge, w1 = base, w2 = size, w3 = rights | PP_SHARED: describe a
	 * region served through a handle with that badge. Its faults are then
	 * answered with the region's rights (W or X by the access when it has
	 * both), as the PP_* flags below say. Unknown badges get R+W (R+X for a
	 * fetch). */
	PP_REGION = 0x70,
	PP_FAULTS,    /* -> w0 = faults seen so far */
	PP_FAULT,     /* w0 = i (0 = first, ~0 = last) -> w0 addr, w1 access, w2 pc, w3 badge */
	PP_WHO,       /* w0 = i -> w0 = pid, w1 = tid of fault i */
	PP_GIVE,      /* w0 = PP_SLOT_*, with a handle: frames for the liar, the
		       * process handle for PP_TRACK */
	PP_LIAR,      /* w0 = 1/0: lie before answering each fault (below) */
	PP_LIES,      /* -> w0, w1: pg_reply's result of lie k in byte k (as -rc; 0 = accepted,
		       * PP_LIE_SKIPPED = not tried) for the last fault; w2 = faults lied to */
	PP_STALL,     /* w0 = 1/0, with a notification handle when 1: each fault
		       * signals it (bit 1) and then waits for the release
		       * notification, whose handle comes with the reply; after a
		       * release the pager answers with pg_reply itself */
	PP_LATE,      /* -> w0 = pg_reply's result for the last stalled fault */
	PP_CLEAN,     /* w0 = badge of a PP_TRACK region, w1 = va, w2 = pages: write-protect
		       * them -> w0 = protect's result */
};

/* PP_REGION flags, or'ed into the rights. */
#define PP_SHARED 0x100UL /* one frame per offset, shared by all PP_SHARED regions */
#define PP_RUNS 0x200UL   /* answer with an 8 KiB frame: the faulting page's aligned
			   * pair, when both pages lie in the region */
#define PP_TRACK 0x400UL  /* dirty tracking: PP_CLEAN write-protects pages (protect to
			   * R on the space of the PP_SLOT_PROCESS handle); a write
			   * fault on such a page is answered by protect back to R+W
			   * and PAGER_RETRY */

enum pp_slot { PP_SLOT_FOREIGN, PP_SLOT_DEVICE, PP_SLOT_PROCESS, PP_SLOTS };

/* The liar's lies, in order: each one and the error the kernel must give. */
enum pp_lie {
	LIE_NO_HANDLE,      /* PAGER_MAP without a handle: ERR_INVAL */
	LIE_BAD_HANDLE,     /* a number no handle table reaches: ERR_BADHANDLE */
	LIE_NOT_A_FRAME,    /* its own endpoint: ERR_INVAL */
	LIE_FOREIGN_FRAME,  /* a frame another process allocated (PP_SLOT_FOREIGN): ERR_PERM */
	LIE_DEVICE_FRAME,   /* a device window (PP_SLOT_DEVICE): ERR_PERM */
	LIE_PAST_END,       /* its frame at base + size: ERR_RANGE */
	LIE_BELOW_BASE,     /* its frame at base - 4 KiB: ERR_RANGE */
	LIE_STRADDLE,       /* an 8 KiB frame at the region's last page: ERR_RANGE */
	LIE_MISALIGNED,     /* its frame at page + 8: ERR_ALIGN */
	LIE_EXCESS_RIGHTS,  /* R+X in a region without X: ERR_PERM */
	LIE_WRITE_EXEC,     /* PAGER_ZERO with R+W+X: ERR_PERM */
	LIE_NO_RIGHTS,      /* PAGER_ZERO with no rights: ERR_PERM */
	LIE_ZERO_OUTSIDE,   /* PAGER_ZERO at base + size: ERR_RANGE */
	LIE_NARROW_HANDLE,  /* R+W through a read-only handle to its frame: ERR_PERM */
	LIE_ALREADY_MAPPED, /* PAGER_ZERO at the page it answered last time: ERR_EXIST */
	LIE_BAD_LABEL,      /* a label that is no answer: ERR_INVAL */
	LIE_COUNT
};

#define PP_LIE_SKIPPED 0xff

#endif
