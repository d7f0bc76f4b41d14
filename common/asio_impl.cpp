// Asio and Beast are header-only by default, which makes every file that
// includes them slow to compile. With *_SEPARATE_COMPILATION defined (see
// common/CMakeLists.txt) their out-of-line parts are compiled once, here.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
