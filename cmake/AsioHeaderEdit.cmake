# Edits to a copy of one installed Boost.Asio header, compiled in place of
# the original. The copy goes under ${CMAKE_BINARY_DIR}/patched-asio, which
# is put ahead of the system include path for every target (Asio includes
# its own headers with angle brackets, so the copy is the one compiled). No
# Boost source is kept in the repository: each edit is a few lines of text
# that must match the installed header exactly once, or configuring stops.

set(COROSERVE_PATCHED_ASIO_DIR ${CMAKE_BINARY_DIR}/patched-asio)

# coroserve_edit_asio_header(<header> <why> <fixed-regex> <expected> <replacement>
#                            [<expected> <replacement>]...)
#   <header>      path under the include directory, e.g. boost/asio/detail/x.hpp
#   <why>         a short label for the messages: what the edit is for
#   <fixed-regex> matches a header that has the fix already (a newer Boost),
#                 which is then used unchanged; "" when there is none
#   <expected>    lines of the installed header, which must occur exactly once
#   <replacement> what they become
# Arguments are read one by one (ARGV<n>), so C++ text with ';' passes intact.
function(coroserve_edit_asio_header header why fixed)
  get_target_property(_dirs Boost::headers INTERFACE_INCLUDE_DIRECTORIES)
  string(MAKE_C_IDENTIFIER "COROSERVE_INSTALLED_${header}" _var)
  find_file(${_var} ${header} HINTS ${_dirs} ${Boost_INCLUDE_DIRS} NO_DEFAULT_PATH)
  set(_installed ${${_var}})
  if(NOT _installed)
    message(FATAL_ERROR "${why}: ${header} not found under Boost's include directories "
                        "(${_dirs} ${Boost_INCLUDE_DIRS})")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_installed})
  file(READ ${_installed} _text)
  if(NOT fixed STREQUAL "" AND _text MATCHES "${fixed}")
    message(STATUS "${why}: ${_installed} has the change already; using it unchanged")
    return()
  endif()

  math(EXPR _last "${ARGC} - 1")
  foreach(_i RANGE 3 ${_last} 2)
    math(EXPR _j "${_i} + 1")
    _coroserve_replace_once("${_text}" "${ARGV${_i}}" "${ARGV${_j}}" "${why}" "${_installed}"
                            _text)
  endforeach()

  # Written only when it differs, so that configuring again rebuilds nothing.
  set(_copy ${COROSERVE_PATCHED_ASIO_DIR}/${header})
  get_filename_component(_copy_dir ${_copy} DIRECTORY)
  file(MAKE_DIRECTORY ${_copy_dir})
  get_filename_component(_name ${header} NAME)
  file(WRITE ${CMAKE_BINARY_DIR}/${_name}.new "${_text}")
  file(COPY_FILE ${CMAKE_BINARY_DIR}/${_name}.new ${_copy} ONLY_IF_DIFFERENT)
  include_directories(BEFORE ${COROSERVE_PATCHED_ASIO_DIR})
  # ccache's direct mode knows a compile's headers by path: a copy that now
  # shadows the installed header is not among those an older compile read,
  # so that object could be reused without the edit. A definition naming the
  # copy's content makes every compile command differ instead.
  string(SHA1 _sum "${_text}")
  string(SUBSTRING ${_sum} 0 12 _sum)
  string(MAKE_C_IDENTIFIER "COROSERVE_EDITED_${_name}" _def)
  add_compile_definitions(${_def}=${_sum})
  message(STATUS "${why}: compiling ${_copy}")
endfunction()

# `text` with `expected`, which must occur in it exactly once, replaced.
function(_coroserve_replace_once text expected replacement why installed out)
  _coroserve_count("${text}" "${expected}" _matches)
  if(NOT _matches EQUAL 1)
    message(FATAL_ERROR "${why}: expected ${installed} to contain exactly once the "
                        "lines\n${expected}but found them ${_matches} time(s). The installed "
                        "Boost changed: check whether the edit is still needed, and update "
                        "or drop it.")
  endif()
  string(REPLACE "${expected}" "${replacement}" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# How many times `needle` occurs in `text`.
function(_coroserve_count text needle out)
  string(REPLACE "${needle}" "" _without "${text}")
  string(LENGTH "${text}" _before)
  string(LENGTH "${_without}" _after)
  string(LENGTH "${needle}" _len)
  math(EXPR _n "(${_before} - ${_after}) / ${_len}")
  set(${out} ${_n} PARENT_SCOPE)
endfunction()
