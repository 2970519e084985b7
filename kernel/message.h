/* An IPC message in flight (see kernel/ipc.h and <pagoda/abi.h>). */
#ifndef KERNEL_MESSAGE_H
#define KERNEL_MESSAGE_H

#include "kernel/object.h"

struct message {
	unsigned long info;
	unsigned long words[MSG_WORDS];
	struct handle xfer; /* obj NULL: no handle; else holds a reference */
};

#endif
