/* status.c — status strings and version queries. */
#include "vitalstream/common.h"
#include "vitalstream/version.h"

VS_API const char *vs_strerror(vs_status code)
{
    switch (code) {
    case VS_OK: return "success";
    case VS_E_NULL_ARG: return "a required pointer argument is NULL";
    case VS_E_INVALID_ARG: return "invalid argument";
    case VS_E_NO_MEMORY: return "out of memory or caller memory too small";
    case VS_E_BUFFER_TOO_SMALL: return "output buffer too small";
    case VS_E_FS_OUT_OF_RANGE: return "sampling rate out of the supported range (100-1000 Hz)";
    case VS_E_UNKNOWN_PARAM: return "unknown parameter";
    case VS_E_PARAM_OUT_OF_RANGE: return "parameter value out of range";
    case VS_E_UNSTABLE_FILTER: return "filter design is unstable or degenerate";
    case VS_E_INSUFFICIENT_DATA: return "too few beats or samples for the requested result";
    case VS_E_STATE_TRUNCATED: return "state blob truncated";
    case VS_E_STATE_BAD_MAGIC: return "not a VitalStream state blob (bad magic)";
    case VS_E_STATE_NEWER_VERSION: return "state blob written by a newer format version";
    case VS_E_STATE_WRONG_MODULE: return "state blob belongs to another kind of object";
    case VS_E_STATE_MISMATCH: return "state blob parameters (sampling rate) do not match";
    case VS_E_STATE_BAD_CHECKSUM: return "state blob checksum mismatch (corrupted)";
    case VS_E_STATE_CORRUPT: return "state blob field out of range (corrupt)";
    case VS_E_IO: return "input/output error";
    case VS_E_PARSE: return "malformed input";
    case VS_E_UNSUPPORTED_FORMAT: return "unsupported format";
    case VS_E_TRUNCATED_FILE: return "file truncated";
    case VS_E_NOT_FOUND: return "not found";
    }
    return "unknown status code";
}

VS_API const char *vs_version_string(void) { return VITALSTREAM_VERSION_STRING; }
VS_API unsigned vs_version_number(void) { return VITALSTREAM_VERSION_NUMBER; }
VS_API double vs_fs_min_hz(void) { return VS_FS_MIN_HZ; }
VS_API double vs_fs_max_hz(void) { return VS_FS_MAX_HZ; }
