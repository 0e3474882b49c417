/* common.h — status codes, version queries and shared conventions of libvitalstream.
 *
 * Every function that can fail returns a vs_status. Numbers are fixed forever: a code that is
 * retired is never reused. Sizes and results come back through out-parameters.
 * The library never prints, never aborts and keeps no global mutable state. */
#ifndef VITALSTREAM_COMMON_H
#define VITALSTREAM_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* VS_API marks the exported functions. Windows: the DLL build exports them (VITALSTREAM_BUILDING),
 * its users import them, and users of the static library define VITALSTREAM_STATIC (the CMake
 * target vitalstream::vitalstream_static does that). Elsewhere: default visibility in a build
 * with -fvisibility=hidden, nothing for users. */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(VITALSTREAM_BUILDING)
#define VS_API __declspec(dllexport)
#elif defined(VITALSTREAM_STATIC)
#define VS_API
#else
#define VS_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && defined(VITALSTREAM_BUILDING)
#define VS_API __attribute__((visibility("default")))
#else
#define VS_API
#endif

typedef enum vs_status {
    VS_OK = 0,
    /* misuse */
    VS_E_NULL_ARG = 1,            /* a required pointer argument was NULL */
    VS_E_INVALID_ARG = 2,         /* an argument is outside its documented domain */
    VS_E_NO_MEMORY = 3,           /* allocation failed, or caller memory too small */
    VS_E_BUFFER_TOO_SMALL = 4,    /* output capacity below the documented bound; no input consumed */
    VS_E_FS_OUT_OF_RANGE = 5,     /* sampling rate outside 100..1000 Hz (or the module's range) */
    VS_E_UNKNOWN_PARAM = 6,       /* parameter id not known to this module */
    VS_E_PARAM_OUT_OF_RANGE = 7,  /* parameter value outside vs_*_param_bounds */
    VS_E_UNSTABLE_FILTER = 8,     /* design would give poles on/outside the unit circle */
    VS_E_INSUFFICIENT_DATA = 9,   /* too few beats/samples for the requested result */
    /* portable state blobs */
    VS_E_STATE_TRUNCATED = 20,    /* blob shorter than its header or declared length */
    VS_E_STATE_BAD_MAGIC = 21,    /* not a VitalStream state blob */
    VS_E_STATE_NEWER_VERSION = 22,/* written by a newer format version than this library reads */
    VS_E_STATE_WRONG_MODULE = 23, /* blob belongs to another kind of object */
    VS_E_STATE_MISMATCH = 24,     /* blob parameters (e.g. fs) differ from this object's */
    VS_E_STATE_BAD_CHECKSUM = 25, /* CRC-32 does not match: corrupted in transit or storage */
    VS_E_STATE_CORRUPT = 26,      /* checksum fine but a field is out of range / inconsistent */
    /* files and formats (vitalstream_io) */
    VS_E_IO = 40,                 /* open/read/write failed; errno-level problem */
    VS_E_PARSE = 41,              /* malformed text or binary input */
    VS_E_UNSUPPORTED_FORMAT = 42, /* valid but not supported (e.g. WFDB format 310) */
    VS_E_TRUNCATED_FILE = 43,     /* file ended before the data it declares */
    VS_E_NOT_FOUND = 44           /* named signal/column/record not present */
} vs_status;

/* A static, never-NULL English description of a status code (also for unknown codes). */
VS_API const char *vs_strerror(vs_status code);

/* Version of the library actually linked (compare with VITALSTREAM_VERSION_* in version.h). */
VS_API const char *vs_version_string(void);
VS_API unsigned vs_version_number(void); /* major*10000 + minor*100 + patch */

/* The sampling-rate range every module supports. Constants as functions so bindings need no
 * header parsing. */
VS_API double vs_fs_min_hz(void);
VS_API double vs_fs_max_hz(void);

#define VS_FS_MIN_HZ 100.0
#define VS_FS_MAX_HZ 1000.0

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_COMMON_H */
