#ifndef CDEFLATE_SHIM_H
#define CDEFLATE_SHIM_H
/* libdeflate: whole-buffer inflating of small ZIP entries and a CRC-32 with carry-less
   multiplication (ArchiveKit). No `link` line: the library comes from pkg-config. */
#include <libdeflate.h>
#endif
