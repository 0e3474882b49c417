# Cross build for 64-bit Windows with Debian's mingw-w64 (apt: gcc-mingw-w64-x86-64):
#   cmake -S . -B build-mingw -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64-x86_64.cmake \
#         -DVITALSTREAM_BUILD_IO=OFF -DVITALSTREAM_BUILD_TESTS=OFF
# gives libvitalstream.dll, its import library libvitalstream.dll.a and the static libvitalstream.a.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(VS_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${VS_MINGW_PREFIX}-gcc)
set(CMAKE_CXX_COMPILER ${VS_MINGW_PREFIX}-g++)
set(CMAKE_RC_COMPILER ${VS_MINGW_PREFIX}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${VS_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
