/*
 * Exit notifications (kernel/exitwatch.h).
 *
 * A watch is a slot in the watched process (struct process.exit_watches):
 * the notification, with a reference so it cannot go while the watch
 * does, and the bits. Slots rather than a list in the notification (as
 * mem_watch keeps its state) because one notification commonly watches
 * many processes (a pager's clients, one bit each), while a process is
 * watched by few: its parent, its pager. The slots cost the process a
 * fixed 64 bytes and nothing can run out but them (-ERR_NOSPC).
 *
 * The reference does not keep a destroyed notification signalled: the
 * kobject's dead flag is checked at exit. A notification's owner may
 * exit before the watched process; the reference keeps only the object's
 * memory, and the last kobj_put releases it as usual.
 */
#include "kernel/exitwatch.h"

#include <pagoda/errno.h>

#include "kernel/ipc.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "syscall_handlers.h"

void exit_watch_fire(struct process *p)
{
	for (unsigned i = 0; i < PROCESS_EXIT_WATCHES; i++) {
		struct exit_watch *w = &p->exit_watches[i];
		if (!w->ntfn)
			continue;
		if (!w->ntfn->obj.dead)
			notification_signal(w->ntfn, w->bits);
		kobj_put(&w->ntfn->obj);
		*w = (struct exit_watch){ 0 };
	}
}

/*
 * process_watch(process, ntfn, bits): signal ntfn with bits when process
 * exits. Contract (the table's comment says the same for callers):
 *   - process: a process handle with RIGHT_READ (not HANDLE_SELF: a
 *     process cannot see its own exit); ntfn: a notification handle with
 *     RIGHT_WRITE, the right signal needs. handle_lookup's errors.
 *   - bits != 0: adds a watch. If the process has exited already, ntfn is
 *     signalled now and 1 is returned; else 0, or -ERR_NOSPC when the
 *     process has PROCESS_EXIT_WATCHES watches already.
 *   - bits == 0: removes every watch of ntfn on the process (none: nothing
 *     to do). Returns 1 if the process has exited (its watches then fired
 *     already, so a signal may be pending in ntfn), else 0.
 * Validation comes first; an error changes nothing. A watch fires once.
 */
long sys_process_watch(struct user_context *ctx, long proc_h, long ntfn_h, unsigned long bits)
{
	(void)ctx;
	long err;
	struct process *self = current_thread()->proc;
	struct handle *ph = handle_lookup(self, proc_h, KOBJ_PROCESS, RIGHT_READ, &err);
	if (!ph)
		return err;
	struct handle *nh = handle_lookup(self, ntfn_h, KOBJ_NOTIFICATION, RIGHT_WRITE, &err);
	if (!nh)
		return err;
	struct process *p = (struct process *)ph->obj;
	struct notification *n = (struct notification *)nh->obj;
	if (p == self)
		return -ERR_INVAL;

	if (!bits) {
		for (unsigned i = 0; i < PROCESS_EXIT_WATCHES; i++) {
			struct exit_watch *w = &p->exit_watches[i];
			if (w->ntfn == n) {
				kobj_put(&n->obj);
				*w = (struct exit_watch){ 0 };
			}
		}
		return p->exited;
	}
	if (p->exited) {
		notification_signal(n, bits);
		return 1;
	}
	for (unsigned i = 0; i < PROCESS_EXIT_WATCHES; i++) {
		struct exit_watch *w = &p->exit_watches[i];
		if (!w->ntfn) {
			kobj_get(&n->obj);
			*w = (struct exit_watch){ .ntfn = n, .bits = bits };
			return 0;
		}
	}
	return -ERR_NOSPC;
}
