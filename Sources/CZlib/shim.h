#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
/* zlib's CRC-32, for checking ZIP entries off the inflating thread (ArchiveKit/CRC32.swift).
   No `link` line: the library comes from pkg-config (`-lz` on Debian, `zlib.lib` from vcpkg). */
#include <zlib.h>
#endif
