# Both backends: when another thread posts work to an io_context whose one
# thread is blocked in the reactor, Boost 1.81's scheduler wakes the reactor
# (an epoll_ctl, or an io_uring submission) while still holding the
# scheduler's mutex, and unlocks after. The woken loop thread then wants
# that mutex at once. If the posting thread is preempted between the two
# (a nice-10 worker is, when the nice-0 loop thread it has just woken
# shares its core), the loop blocks on the mutex until the worker runs
# again: a futex wait, a futex wake and two more context switches each
# time a worker hands back a result, and a stall of the loop as long as
# the worker's wait for a core.
#
# The edit takes the decision to wake under the mutex, as before, and makes
# the wake after unlocking. Nothing is lost by the move: the posted
# operation is queued before the unlock, a wake that comes after the loop
# has already taken it only makes the loop poll once more, and the reactor's
# wake is safe to call from any thread. The reactor outlives the wake: the
# server joins its workers before its io_context is destroyed.
include(${CMAKE_CURRENT_LIST_DIR}/AsioHeaderEdit.cmake)

coroserve_edit_asio_header(
  boost/asio/detail/impl/scheduler.ipp "the reactor is woken outside the scheduler's lock" ""
  "    if (!task_interrupted_ && task_)\n    {\n      task_interrupted_ = true;\n      task_->interrupt();\n    }\n    lock.unlock();\n"
  "    scheduler_task* task = 0;\n    if (!task_interrupted_ && task_)\n    {\n      task_interrupted_ = true;\n      task = task_;\n    }\n    lock.unlock();\n    if (task)\n      task->interrupt();\n")
