# FindLibCSV.cmake — finds libcsv (Debian: libcsv-dev), which ships neither a CMake package nor a
# pkg-config file. Installed next to vitalstreamConfig.cmake so the installed package can find it
# again on the consumer's machine.
#
# Result: imported target LibCSV::LibCSV, variables LibCSV_FOUND, LibCSV_INCLUDE_DIR,
# LibCSV_LIBRARY. Hints: LibCSV_ROOT (CMake >= 3.12 honours <Pkg>_ROOT), CMAKE_PREFIX_PATH.
find_path(LibCSV_INCLUDE_DIR NAMES csv.h)
find_library(LibCSV_LIBRARY NAMES csv libcsv)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibCSV REQUIRED_VARS LibCSV_LIBRARY LibCSV_INCLUDE_DIR)
mark_as_advanced(LibCSV_INCLUDE_DIR LibCSV_LIBRARY)
if(LibCSV_FOUND AND NOT TARGET LibCSV::LibCSV)
  add_library(LibCSV::LibCSV UNKNOWN IMPORTED)
  set_target_properties(LibCSV::LibCSV PROPERTIES
    IMPORTED_LOCATION "${LibCSV_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibCSV_INCLUDE_DIR}")
endif()
