#ifndef CARCHIVE_SHIM_H
#define CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

/* File-type macros do not import into Swift 6; expose them as functions. */
static inline unsigned int CArchive_AE_IFREG(void) { return AE_IFREG; }
static inline unsigned int CArchive_AE_IFDIR(void) { return AE_IFDIR; }
static inline unsigned int CArchive_AE_IFLNK(void) { return AE_IFLNK; }
static inline unsigned int CArchive_AE_IFMT(void) { return AE_IFMT; }
#endif
