# Writes a corrected copy of the installed Asio io_uring_service.ipp under
# ${CMAKE_BINARY_DIR}/patched-asio and puts that directory ahead of the system
# include path for every target (io_uring_service.hpp includes the .ipp with
# angle brackets, so the copy is the one compiled).
#
# Why: Boost 1.81's io_uring_service::get_sqe() hands out a submission queue
# entry without clearing its user_data. The io_uring_prep_* helpers of
# liburing 2.2 and later no longer zero user_data, and Asio's cancel requests
# set none of their own, so a cancel request's completion arrives carrying a
# stale pointer and is taken for another operation's: reads are then neither
# cancelled nor completed and slow clients hang. The edit clears user_data as
# soon as an entry is obtained. Boost 1.82 does the same, so drop this file
# when Boost is upgraded; until then the check below fails the configure step
# if the installed header no longer looks as expected.

set(_asio_ipp_rel boost/asio/detail/impl/io_uring_service.ipp)
get_target_property(_boost_include_dirs Boost::headers INTERFACE_INCLUDE_DIRECTORIES)
find_file(COROSERVE_ASIO_URING_IPP ${_asio_ipp_rel}
  HINTS ${_boost_include_dirs} ${Boost_INCLUDE_DIRS} NO_DEFAULT_PATH)
if(NOT COROSERVE_ASIO_URING_IPP)
  message(FATAL_ERROR "COROSERVE_IO_URING: ${_asio_ipp_rel} not found under Boost's "
                      "include directories (${_boost_include_dirs} ${Boost_INCLUDE_DIRS})")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${COROSERVE_ASIO_URING_IPP})
file(READ ${COROSERVE_ASIO_URING_IPP} _ipp)

# get_sqe()'s body, to see whether it clears user_data already.
string(REGEX MATCH "io_uring_service::get_sqe\\(\\)\n{[^}]*}[^}]*}" _get_sqe "${_ipp}")
if(_get_sqe STREQUAL "")
  message(FATAL_ERROR "COROSERVE_IO_URING: no io_uring_service::get_sqe() definition "
                      "found in ${COROSERVE_ASIO_URING_IPP}")
endif()
if(_get_sqe MATCHES "io_uring_sqe_set_data\\(sqe, 0\\)")
  message(STATUS "COROSERVE_IO_URING: ${COROSERVE_ASIO_URING_IPP} clears user_data "
                 "in get_sqe() already; using it unchanged")
  return()
endif()

# The edit: the two lines that count a newly obtained entry, which must occur
# exactly once, become a block that also clears the entry's user_data.
set(_expected "  if (sqe)\n    ++pending_sqes_;\n  return sqe;\n")
set(_fixed "  if (sqe)\n  {\n    ::io_uring_sqe_set_data(sqe, 0);\n    ++pending_sqes_;\n  }\n  return sqe;\n")
string(REPLACE "${_expected}" "" _without "${_ipp}")
string(LENGTH "${_ipp}" _len_before)
string(LENGTH "${_without}" _len_after)
string(LENGTH "${_expected}" _len_expected)
math(EXPR _matches "(${_len_before} - ${_len_after}) / ${_len_expected}")
if(NOT _matches EQUAL 1)
  message(FATAL_ERROR "COROSERVE_IO_URING: expected get_sqe() in ${COROSERVE_ASIO_URING_IPP} "
                      "to contain exactly once the lines\n${_expected}but found them ${_matches} "
                      "time(s). The installed Boost changed: check whether it clears the "
                      "entry's user_data, and update or drop cmake/PatchAsioUring.cmake.")
endif()
string(REPLACE "${_expected}" "${_fixed}" _ipp "${_ipp}")

set(COROSERVE_PATCHED_ASIO_DIR ${CMAKE_BINARY_DIR}/patched-asio)
# Written only when it differs, so that configuring again rebuilds nothing.
get_filename_component(_patched_dir ${COROSERVE_PATCHED_ASIO_DIR}/${_asio_ipp_rel} DIRECTORY)
file(MAKE_DIRECTORY ${_patched_dir})
file(WRITE ${CMAKE_BINARY_DIR}/io_uring_service.ipp.new "${_ipp}")
file(COPY_FILE ${CMAKE_BINARY_DIR}/io_uring_service.ipp.new
     ${COROSERVE_PATCHED_ASIO_DIR}/${_asio_ipp_rel} ONLY_IF_DIFFERENT)
include_directories(BEFORE ${COROSERVE_PATCHED_ASIO_DIR})
message(STATUS "COROSERVE_IO_URING: get_sqe() clears user_data in "
               "${COROSERVE_PATCHED_ASIO_DIR}/${_asio_ipp_rel}")
