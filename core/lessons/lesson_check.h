// A lesson's check (core/lesson.h): its runs trained headless on this thread, each one's
// metrics collected (core/metrics.h), then its expectations evaluated over them. What
// `aelab --headless --lesson NAME --check [--sabotage]` and the lesson tests run. A sabotage
// runs the same check with the lesson's claimed effect taken from one run, and must make it
// fail: a check that cannot fail proves nothing. Calling thread only.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/base/expected.h"
#include "core/lessons/check_runs.h"
#include "core/lessons/lesson.h"

namespace aelab {

struct SabotageResult {
    bool check_failed = false;        // at least one expectation does not hold
    bool fails_as_declared = false;   // …and every one of sabotage.fails is among them
    std::vector<std::string> failed;  // the expectations that do not hold, as written
    std::string line;                 // one line: what was removed, what failed, the time
};

struct LessonCheckResult {
    bool claim_holds = false;  // every expectation holds
    // The claim holds and every sabotage the lesson carries makes the check fail where it says.
    bool passed = false;
    // One line: the lesson, PASS or FAIL, the claim, the figures behind it, the time; on
    // failure, each expectation that does not hold with the values it compared. Then a line
    // for each sabotage.
    std::string line;
    std::vector<std::string> failed;  // the expectations that do not hold, as written
    std::vector<SabotageResult> sabotage;
};

// The check, then each sabotage in lesson.check.sabotage (the command line keeps them only
// for --sabotage), the runs they share trained once. An error when a run cannot start (its
// data, its model); a failing expectation is a result, and so is one that names a metric its
// run does not have ("= missing").
Expected<LessonCheckResult> run_lesson_check(const Lesson& lesson, std::ostream& progress);
// The same, taking the runs from `runs` (training those it has not seen).
Expected<LessonCheckResult> run_lesson_check(const Lesson& lesson, std::ostream& progress,
                                             CheckRuns& runs);

// The check with `sabotage` applied: the runs its `fails` expectations name are trained (the
// sabotaged one with its change), then every expectation whose runs were trained is
// evaluated. The others need runs that cannot change those expectations' verdict.
Expected<SabotageResult> run_lesson_sabotage(const Lesson& lesson, const LessonSabotage& sabotage,
                                             std::ostream& progress, CheckRuns& runs);

}  // namespace aelab
