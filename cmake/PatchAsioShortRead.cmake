# epoll backend: after a read, Boost 1.81's reactor tries the socket's next
# read at once, before waiting for epoll, unless the last read hit the end of
# the stream. On a keep-alive connection that attempt comes right after the
# answer is written and before the client has sent anything, so every request
# pays one recv() that returns EAGAIN: 3 syscalls instead of 2.
#
# A stream read that returns fewer bytes than asked has emptied the socket's
# receive queue (the kernel copies all it holds, up to the size asked). The
# first edit reports such a read as exhausted, as Asio does for the end of the
# stream, so the reactor waits for epoll's next readiness event before reading
# again. Bytes that arrive after the read raise that event, so none are missed.
#
# A FIN does not raise one when it came before the read that emptied the
# queue: it is still to be read (as the end of the stream), and waiting for
# epoll would wait forever. So the reactor also asks epoll for EPOLLRDHUP and
# remembers, per socket, that the peer has shut down its side; from then on a
# short read no longer stops the next read from being tried at once. Every
# FIN raises a readiness event after it is queued, so the reactor sees the
# mark before any read that could leave the FIN unread for good.
include(${CMAKE_CURRENT_LIST_DIR}/AsioHeaderEdit.cmake)

coroserve_edit_asio_header(
  boost/asio/detail/reactive_socket_recv_op.hpp "a short read ends speculative reads" ""
  "        if (o->bytes_transferred_ == 0)\n          result = done_and_exhausted;\n"
  "        if (o->bytes_transferred_ < boost::asio::buffer_size(o->buffers_))\n          result = done_and_exhausted;\n")

# A new connection's request has usually not arrived when the connection is
# accepted (the client sends it once its connect returns), so a read tried at
# once finds nothing. wait_for_readiness_to_read() lets the accept loop mark
# a new socket so that its first read waits for epoll instead, as nginx
# does. Registration asks epoll to report bytes already queued, and an event
# that comes before the read is started turns reading at once back on, so
# the mark cannot make a read miss its bytes. readable_since_last_read()
# reads the same mark: false while epoll has reported nothing since a short
# read emptied the socket, when a connection may close without peeking at it.
coroserve_edit_asio_header(
  boost/asio/detail/epoll_reactor.hpp "the reactor remembers a peer's FIN" ""
  "    bool try_speculative_[max_ops];\n    bool shutdown_;\n"
  "    bool try_speculative_[max_ops];\n    bool shutdown_;\n    bool peer_shut_down_ = false;\n"
  "  BOOST_ASIO_DECL void cleanup_descriptor_data(\n      per_descriptor_data& descriptor_data);\n"
  "  BOOST_ASIO_DECL void cleanup_descriptor_data(\n      per_descriptor_data& descriptor_data);\n\n  static void wait_for_readiness_to_read(per_descriptor_data& descriptor_data)\n  {\n    mutex::scoped_lock lock(descriptor_data->mutex_);\n    descriptor_data->try_speculative_[read_op] = false;\n  }\n\n  static bool readable_since_last_read(per_descriptor_data& descriptor_data)\n  {\n    mutex::scoped_lock lock(descriptor_data->mutex_);\n    return descriptor_data->try_speculative_[read_op];\n  }\n")

# Registration asks for EPOLLRDHUP; each event that reports it (or a hang-up,
# or an error) sets the mark; the two places that stop speculative reads
# after an exhausted one leave reads alone once it is set.
coroserve_edit_asio_header(
  boost/asio/detail/impl/epoll_reactor.ipp "the reactor remembers a peer's FIN" ""
  "    descriptor_data->shutdown_ = false;\n    for (int i = 0; i < max_ops; ++i)\n      descriptor_data->try_speculative_[i] = true;\n  }\n\n  epoll_event ev = { 0, { 0 } };\n  ev.events = EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLPRI | EPOLLET;\n"
  "    descriptor_data->shutdown_ = false;\n    descriptor_data->peer_shut_down_ = false;\n    for (int i = 0; i < max_ops; ++i)\n      descriptor_data->try_speculative_[i] = true;\n  }\n\n  epoll_event ev = { 0, { 0 } };\n  ev.events = EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLPRI | EPOLLET | EPOLLRDHUP;\n"
  "            if (descriptor_data->registered_events_ != 0)\n              descriptor_data->try_speculative_[op_type] = false;\n"
  "            if (descriptor_data->registered_events_ != 0)\n              if (op_type != read_op || !descriptor_data->peer_shut_down_)\n                descriptor_data->try_speculative_[op_type] = false;\n"
  "  static const int flag[max_ops] = { EPOLLIN, EPOLLOUT, EPOLLPRI };\n"
  "  static const int flag[max_ops] = { EPOLLIN, EPOLLOUT, EPOLLPRI };\n  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))\n    peer_shut_down_ = true;\n"
  "          if (status == reactor_op::done_and_exhausted)\n          {\n            try_speculative_[j] = false;\n"
  "          if (status == reactor_op::done_and_exhausted\n              && (j != read_op || !peer_shut_down_))\n          {\n            try_speculative_[j] = false;\n")
