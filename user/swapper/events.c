/* The swapper's event thread (see events.h). */
#include "user/swapper/events.h"

#include <pagoda/ipc.h>
#include <pagoda/runtime.h>

#include "user/swapper/swapper.h"

static unsigned long event_stack[512] __attribute__((aligned(16)));
static long notification, endpoint;
static unsigned long low_bit;

/* It uses system calls only (no errno, no malloc: the runtime is
 * single-threaded). */
static void event_thread(unsigned long arg)
{
	(void)arg;
	long bits;
	while ((bits = pg_wait(notification)) >= 0) {
		unsigned long b = (unsigned long)bits;
		if ((b & low_bit) &&
		    pg_call(endpoint, MSG_INFO(SWAP_TRIM, 0, 0), 0, 0, 0, 0, HANDLE_NONE).status < 0)
			break;
		if ((b & ~low_bit) &&
		    pg_call(endpoint, MSG_INFO(SWAP_REAP, 1, 0), b & ~low_bit, 0, 0, 0, HANDLE_NONE)
				    .status < 0)
			break;
	}
}

long events_start(long self_ep, unsigned long low_memory, unsigned long priority, long *events)
{
	endpoint = self_ep;
	low_bit = low_memory;
	notification = *events = pg_notification_create();
	if (notification < 0)
		return notification;
	long rc = thread_start(event_thread, 0, event_stack, sizeof event_stack, priority);
	return rc < 0 ? rc : 0;
}
