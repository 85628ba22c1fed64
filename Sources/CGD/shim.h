#include <gd.h>
#include <zlib.h>
