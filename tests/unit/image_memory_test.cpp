#include "server/image_memory.hpp"

#include <gtest/gtest.h>

namespace coroserve {
namespace {

TEST(ImageMemory, ReservationsHoldTheBudgetUntilTheyEnd) {
  ImageMemoryBudget budget(100);
  {
    auto a = budget.reserve(60);
    EXPECT_EQ(budget.in_flight(), 60u);
    EXPECT_THROW((void)budget.reserve(41), ImageMemoryFull);
    auto b = budget.reserve(40);
    EXPECT_EQ(budget.in_flight(), 100u);
  }
  EXPECT_EQ(budget.in_flight(), 0u);
  EXPECT_NO_THROW((void)budget.reserve(100));
}

TEST(ImageMemory, TheErrorSaysWhatIsHeldAndWhatWasAsked) {
  ImageMemoryBudget budget(10);
  auto held = budget.reserve(7);
  try {
    (void)budget.reserve(5);
    FAIL() << "no error";
  } catch (const Overloaded& e) {
    EXPECT_STREQ(e.what(),
                 "renders in flight hold 7 of 10 bytes (--max-image-bytes); this one needs 5");
  }
}

}  // namespace
}  // namespace coroserve
