# epoll backend: after a read, Boost 1.81's reactor tries the socket's next
# read at once, before waiting for epoll, unless the last read hit the end of
# the stream. On a keep-alive connection that attempt comes right after the
# answer is written and before the client has sent anything, so every request
# pays one recv() that returns EAGAIN: 3 syscalls instead of 2.
#
# A stream read that returns fewer bytes than asked has emptied the socket's
# receive queue (the kernel copies all it holds, up to the size asked). The
# edit reports such a read as exhausted, as Asio does for the end of the
# stream, so the reactor waits for epoll's next readiness event before reading
# again. Bytes that arrive after the read raise that event, so none are missed.
include(${CMAKE_CURRENT_LIST_DIR}/AsioHeaderEdit.cmake)

coroserve_edit_asio_header(
  boost/asio/detail/reactive_socket_recv_op.hpp
  "        if (o->bytes_transferred_ == 0)\n          result = done_and_exhausted;\n"
  "        if (o->bytes_transferred_ < boost::asio::buffer_size(o->buffers_))\n          result = done_and_exhausted;\n"
  "a short read ends speculative reads")
