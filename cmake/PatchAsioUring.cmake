# io_uring backend: Boost 1.81's io_uring_service::get_sqe() hands out a
# submission queue entry without clearing its user_data. The io_uring_prep_*
# helpers of liburing 2.2 and later no longer zero user_data, and Asio's
# cancel requests set none of their own, so a cancel request's completion
# arrives carrying a stale pointer and is taken for another operation's:
# reads are then neither cancelled nor completed and slow clients hang. The
# edit clears user_data as soon as an entry is obtained. Boost 1.82 does the
# same; with such a Boost the header is used unchanged.
include(${CMAKE_CURRENT_LIST_DIR}/AsioHeaderEdit.cmake)

coroserve_edit_asio_header(
  boost/asio/detail/impl/io_uring_service.ipp "io_uring get_sqe() clears user_data"
  "io_uring_sqe_set_data\\(sqe, 0\\)"
  "  if (sqe)\n    ++pending_sqes_;\n  return sqe;\n"
  "  if (sqe)\n  {\n    ::io_uring_sqe_set_data(sqe, 0);\n    ++pending_sqes_;\n  }\n  return sqe;\n")
