#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's headers pull in the system ICU; with Foundation in the same build a clean build
   then fails ("'UErrorCode' has different definitions"). We never use libxml2's ICU API. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlIO.h>

/* xmlFree is a global function pointer, which Swift 6 does not import; wrap it. */
static inline void CLibXML2_xmlFree(void *p) { xmlFree(p); }
/* libxml2 prints some errors through a variadic per-thread generic handler, which Swift cannot
   implement; readers install this silent one (errors reach Swift through structured handlers). */
static void CLibXML2_ignoreGenericError(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void CLibXML2_silenceGenericErrors(void) {
    xmlSetGenericErrorFunc(NULL, CLibXML2_ignoreGenericError);
}
#endif
