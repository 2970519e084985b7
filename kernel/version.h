#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H
/* PAGODA_VERSION: `git describe` at build time, written by the Makefile into
 * build/gen/pagoda_version.h only when it changes (so the banner is never stale). */
#include "pagoda_version.h"
#endif
