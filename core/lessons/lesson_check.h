// A lesson's check (core/lesson.h): its runs trained headless on this thread, each one's
// metrics collected (core/metrics.h), then its expectations evaluated over them. What
// `aelab --headless --lesson NAME --check` and the lesson tests run. Calling thread only.
#pragma once

#include <iosfwd>
#include <string>

#include "core/base/expected.h"
#include "core/lessons/lesson.h"

namespace aelab {

struct LessonCheckResult {
    bool passed = false;
    // One line: the lesson, PASS or FAIL, the claim, the figures behind it, the time; on
    // failure, each expectation that does not hold with the values it compared.
    std::string line;
};

// An error when a run cannot start (its data, its model); a failing expectation is a result.
Expected<LessonCheckResult> run_lesson_check(const Lesson& lesson, std::ostream& progress);

}  // namespace aelab
