/* cpu/uop.c -- names of the uop kinds, from the one list in uop.h. */
#include "uop.h"

const char *const uop_kind_name[UOP_NKINDS] = {
#define X(n, d) #n,
    UOP_KINDS(X)
#undef X
};
