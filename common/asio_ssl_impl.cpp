// Asio's SSL layer, compiled once like the rest of Asio (asio_impl.cpp), for
// whatever links coroserve_asio_ssl: with BOOST_ASIO_SEPARATE_COMPILATION its
// out-of-line parts are defined only here.
#include <boost/asio/ssl/impl/src.hpp>
