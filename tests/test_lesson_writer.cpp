// Lessons written from the window (core/lessons/lesson_writer.h): what the writer saves is
// read back by the loader of the built-in lessons with the same config, panels, steps and
// check; appending keeps what the file had; an existing file is never replaced unasked, a
// built-in lesson never, and a file that does not load is never appended to.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/lessons/lesson.h"
#include "core/lessons/lesson_writer.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every key's text form equal: what a lesson file can say about a config.
void expect_same_config(const Config& got, const Config& wanted, const std::string& what) {
    for (const ConfigKey& key : config_keys())
        EXPECT_EQ(get_config_value(got, key.name), get_config_value(wanted, key.name))
            << what << ": " << key.name;
}

Config changed_config() {
    Config c;
    for (const char* setting : {"dataset=bars", "hidden=48", "sparsity=kl", "sparsity_p=0.1",
                                "lr=0.01", "noise=mask", "noise_level=0.5"})
        EXPECT_FALSE(apply_setting(c, setting)) << setting;
    return c;
}

LessonStepDraft draft(const Config& config) {
    LessonStepDraft d;
    d.lesson_title = "Sparsity on bars";
    d.step_title = "KL at p = 0.1";
    d.text = "Watch p̂ settle on $p$: \"quotes\", braces {x} and a\nnew line survive.";
    d.config = config;
    d.panels = {"Lesson", "Average activation", "Loss curves"};
    d.metric = "p_hat_mean";
    d.comparison = "<";
    d.value = 0.15;
    d.steps = 2000;
    return d;
}

class LessonWriter : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("aelab_writer_" + std::to_string(::getpid()));
        fs::remove_all(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path dir;
};

}  // namespace

TEST_F(LessonWriter, ANewLessonLoadsBackWithItsConfigPanelsStepAndCheck) {
    const fs::path file = dir / "lessons" / "sparsity-on-bars.json";  // the folder is made
    const LessonStepDraft d = draft(changed_config());
    auto steps = save_lesson_step(d, file.string(), LessonSave::New);
    ASSERT_TRUE(steps) << steps.error();
    EXPECT_EQ(*steps, 1);
    auto lesson = load_lesson(file.string());  // the built-in lessons' loader
    ASSERT_TRUE(lesson) << lesson.error();
    EXPECT_EQ(lesson->title, "Sparsity on bars");
    EXPECT_EQ(lesson->panels, d.panels);
    ASSERT_EQ(lesson->steps.size(), 1u);
    EXPECT_EQ(lesson->steps[0].title, d.step_title);
    EXPECT_EQ(lesson->steps[0].text, d.text);
    EXPECT_EQ(lesson->steps[0].panels, d.panels);
    ASSERT_EQ(lesson->steps[0].watch.size(), 1u);
    EXPECT_NE(lesson->steps[0].watch[0].find("{p_hat_mean:.3f}"), std::string::npos)
        << lesson->steps[0].watch[0];
    auto config = lesson_config(*lesson, 0);
    ASSERT_TRUE(config) << config.error();
    expect_same_config(*config, d.config, "the step");
    // Only keys that differ from the defaults are written (the loader applies them over those).
    EXPECT_EQ(lesson->steps[0].set.size(), 7u);
    ASSERT_EQ(lesson->check.runs.size(), 1u);
    EXPECT_EQ(lesson->check.runs[0].steps, 2000);
    auto run = apply_settings(Config{}, lesson->check.runs[0].set);
    ASSERT_TRUE(run) << run.error();
    expect_same_config(*run, d.config, "the check's run");
    EXPECT_EQ(lesson->check.expect, std::vector<std::string>{"step1.p_hat.mean < 0.15"});
    EXPECT_EQ(lesson->check.report, std::vector<std::string>{"step1.p_hat.mean"});
    EXPECT_EQ(lesson->check.claim, "p̂ mean < 0.15 after 2,000 steps");
    // Its sabotage: the run with the knobs the teacher moved back at their defaults (the
    // structure and the data set as they were), which must break the expectation.
    ASSERT_EQ(lesson->check.sabotage.size(), 1u);
    const LessonSabotage& sabotage = lesson->check.sabotage[0];
    EXPECT_EQ(sabotage.run, "step1");
    EXPECT_EQ(sabotage.fails, std::vector<std::string>{"step1.p_hat.mean < 0.15"});
    EXPECT_NE(sabotage.what.find("sparsity kl → none"), std::string::npos) << sabotage.what;
    Settings sabotaged = lesson->check.runs[0].set;
    sabotaged.insert(sabotaged.end(), sabotage.set.begin(), sabotage.set.end());
    auto without = apply_settings(Config{}, sabotaged);
    ASSERT_TRUE(without) << without.error();
    for (const ConfigKey& key : config_keys())
        EXPECT_EQ(get_config_value(*without, key.name),
                  get_config_value(key.live ? Config{} : d.config, key.name))
            << key.name;
}

TEST_F(LessonWriter, AStepThatMovedNoKnobHasNoSabotage) {
    Config config;
    for (const char* setting : {"dataset=bars", "hidden=48"}) ASSERT_FALSE(apply_setting(config, setting));
    const fs::path file = dir / "structure.json";
    ASSERT_TRUE(save_lesson_step(draft(config), file.string(), LessonSave::New));
    auto lesson = load_lesson(file.string());
    ASSERT_TRUE(lesson) << lesson.error();
    EXPECT_TRUE(lesson->check.sabotage.empty());
}

TEST_F(LessonWriter, AppendingAddsAStepThatSetsOnlyWhatChangedAndKeepsTheCheck) {
    const fs::path file = dir / "lesson.json";
    const Config first = changed_config();
    ASSERT_TRUE(save_lesson_step(draft(first), file.string(), LessonSave::New));
    // The second step: sparsity back to its default, L2 on, another metric and bound.
    Config second = first;
    ASSERT_FALSE(apply_setting(second, "sparsity=none"));
    ASSERT_FALSE(apply_setting(second, "l2=0.001"));
    LessonStepDraft d = draft(second);
    d.lesson_title = "ignored when appending";
    d.step_title = "L2 instead";
    d.panels = {"Loss curves", "Filters"};
    d.metric = "test_loss";
    d.comparison = ">=";
    d.value = 0.0125;
    d.steps = 300;
    auto steps = save_lesson_step(d, file.string(), LessonSave::Append);
    ASSERT_TRUE(steps) << steps.error();
    EXPECT_EQ(*steps, 2);
    auto lesson = load_lesson(file.string());
    ASSERT_TRUE(lesson) << lesson.error();
    EXPECT_EQ(lesson->title, "Sparsity on bars");
    ASSERT_EQ(lesson->steps.size(), 2u);
    EXPECT_EQ(lesson->steps[1].title, "L2 instead");
    EXPECT_EQ(lesson->steps[1].panels, d.panels);
    EXPECT_EQ(lesson->steps[1].set, (Settings{{"l2", "0.001"}, {"sparsity", "none"}}));
    expect_same_config(*lesson_config(*lesson, 0), first, "step 1");
    expect_same_config(*lesson_config(*lesson, 1), second, "step 2");
    ASSERT_EQ(lesson->check.runs.size(), 2u);
    EXPECT_EQ(lesson->check.runs[1].name, "step2");
    EXPECT_EQ(lesson->check.runs[1].steps, 300);
    expect_same_config(*apply_settings(Config{}, lesson->check.runs[1].set), second, "run step2");
    EXPECT_EQ(lesson->check.expect,
              (std::vector<std::string>{"step1.p_hat.mean < 0.15", "step2.test_loss >= 0.0125"}));
    EXPECT_EQ(lesson->check.claim,
              "p̂ mean < 0.15 after 2,000 steps; step 2: test loss >= 0.0125 after 300 steps");
    // Step 1's sabotage is kept; step 2 brings its own (L2 among the knobs it puts back).
    ASSERT_EQ(lesson->check.sabotage.size(), 2u);
    EXPECT_EQ(lesson->check.sabotage[0].run, "step1");
    EXPECT_EQ(lesson->check.sabotage[1].run, "step2");
    EXPECT_EQ(lesson->check.sabotage[1].fails, std::vector<std::string>{"step2.test_loss >= 0.0125"});
    EXPECT_NE(lesson->check.sabotage[1].what.find("l2 0.001 → 0"), std::string::npos)
        << lesson->check.sabotage[1].what;
}

TEST_F(LessonWriter, AnExistingFileIsReplacedOnlyWhenAsked) {
    const fs::path file = dir / "lesson.json";
    ASSERT_TRUE(save_lesson_step(draft(changed_config()), file.string(), LessonSave::New));
    const std::string before = read(file);
    LessonStepDraft d = draft(Config{});
    d.step_title = "Another";
    auto refused = save_lesson_step(d, file.string(), LessonSave::New);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("exists: replace it, or pick it to append"), std::string::npos)
        << refused.error();
    EXPECT_EQ(read(file), before) << "a refused save changed the file";
    ASSERT_TRUE(save_lesson_step(d, file.string(), LessonSave::Replace));
    auto lesson = load_lesson(file.string());
    ASSERT_TRUE(lesson) << lesson.error();
    ASSERT_EQ(lesson->steps.size(), 1u);
    EXPECT_EQ(lesson->steps[0].title, "Another");
    for (const auto& entry : fs::directory_iterator(dir))
        EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
            << "a temporary was left";
}

TEST_F(LessonWriter, TheBuiltInLessonsAreNeverWritten) {
    const fs::path builtin = fs::path(lessons_folder()) / "07-weight-decay.json";
    ASSERT_TRUE(fs::exists(builtin)) << builtin;
    const std::string before = read(builtin);
    for (const LessonSave how : {LessonSave::New, LessonSave::Replace, LessonSave::Append}) {
        auto refused = save_lesson_step(draft(Config{}), builtin.string(), how);
        ASSERT_FALSE(refused);
        EXPECT_NE(refused.error().find("is a built-in lesson"), std::string::npos)
            << refused.error();
    }
    EXPECT_EQ(read(builtin), before);
    auto fresh = save_lesson_step(
        draft(Config{}), (fs::path(lessons_folder()) / "new.json").string(), LessonSave::New);
    EXPECT_FALSE(fresh) << "a new file in the built-in folder";
    EXPECT_FALSE(fs::exists(fs::path(lessons_folder()) / "new.json"));
}

// Every built-in lesson's text takes an appended step and still loads, its own steps, check
// and sabotages kept: the writer works in the format the 14 lessons use.
TEST_F(LessonWriter, EveryBuiltInLessonTakesAnAppendedStep) {
    auto all = load_all_lessons(lessons_folder());
    ASSERT_TRUE(all) << all.error();
    ASSERT_EQ(all->size(), 14u);
    for (const Lesson& original : *all) {
        auto text =
            appended_lesson_text(read(original.path), original.path, draft(changed_config()));
        ASSERT_TRUE(text) << original.name << ": " << text.error();
        auto lesson = parse_lesson(*text, original.path);
        ASSERT_TRUE(lesson) << original.name << ": " << lesson.error();
        EXPECT_EQ(lesson->steps.size(), original.steps.size() + 1) << original.name;
        EXPECT_EQ(lesson->check.runs.size(), original.check.runs.size() + 1) << original.name;
        // Its sabotages kept, and the appended step's own (it moved knobs) after them.
        ASSERT_EQ(lesson->check.sabotage.size(), original.check.sabotage.size() + 1) << original.name;
        for (size_t i = 0; i < original.check.sabotage.size(); ++i)
            EXPECT_EQ(lesson->check.sabotage[i].what, original.check.sabotage[i].what) << original.name;
        expect_same_config(*lesson_config(*lesson, int(original.steps.size())), changed_config(),
                           original.name);
        for (size_t i = 0; i < original.steps.size(); ++i)
            EXPECT_EQ(lesson->steps[i].set, original.steps[i].set) << original.name;
    }
}

TEST_F(LessonWriter, AFileThatDoesNotLoadIsNotAppendedTo) {
    fs::create_directories(dir);
    const fs::path file = dir / "broken.json";
    std::ofstream(file) << "{\"title\": \"half a lesson\"";
    auto refused = save_lesson_step(draft(Config{}), file.string(), LessonSave::Append);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("cannot append to it: " + file.string()), std::string::npos)
        << refused.error();
    EXPECT_EQ(read(file), "{\"title\": \"half a lesson\"");
    EXPECT_FALSE(
        save_lesson_step(draft(Config{}), (dir / "none.json").string(), LessonSave::Append));
    EXPECT_FALSE(fs::exists(dir / "none.json"));
}

TEST_F(LessonWriter, ADraftTheLoaderWouldRefuseIsNotWritten) {
    const fs::path file = dir / "bad.json";
    const auto refused = [&](LessonStepDraft d, const std::string& why) {
        auto r = save_lesson_step(d, file.string(), LessonSave::New);
        ASSERT_FALSE(r) << why;
        EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
        EXPECT_FALSE(fs::exists(file)) << why;
    };
    LessonStepDraft d = draft(Config{});
    d.step_title = "  ";
    refused(d, "the step needs a title");
    d = draft(Config{});
    d.lesson_title = "";
    refused(d, "the lesson needs a title");
    d = draft(Config{});
    d.value = -1;
    refused(d, "a number ≥ 0");
    d = draft(Config{});
    d.metric = "weights";
    refused(d, "not a number a check can test");
    d = draft(Config{});
    d.comparison = "==";
    refused(d, "the comparison must be");
    d = draft(Config{});
    d.steps = 0;
    refused(d, "the check's steps");
    d = draft(Config{});
    d.text = std::string(lesson_limits::kText + 1, 'x');
    refused(d, "aelab cannot read");
}

TEST(LessonFileStem, TitlesBecomeSafeFileNames) {
    EXPECT_EQ(lesson_file_stem("Sparsity on Bars!"), "sparsity-on-bars");
    EXPECT_EQ(lesson_file_stem("../../etc/passwd"), "etc-passwd");
    EXPECT_EQ(lesson_file_stem("p̂ → 0"), "p-0");
    EXPECT_EQ(lesson_file_stem("  ***  "), "lesson");
    EXPECT_EQ(lesson_file_stem(std::string(200, 'a')).size(), 60u);
}
