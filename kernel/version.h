#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H
/* The Makefile passes the git description; a build outside git says "dev". */
#ifndef PAGODA_VERSION
#define PAGODA_VERSION "dev"
#endif
#endif
