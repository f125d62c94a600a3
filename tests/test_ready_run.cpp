// From a config to a ready run (core/run/ready_run.h): the one way every caller takes — data
// loaded and prepared only when the cache does not already hold it, every refusal before a
// model is made, and a resumed run continuing where it stopped.
#include <gtest/gtest.h>

#include <map>

#include "core/run/ready_run.h"
#include "tests/test_support.h"

using namespace aelab;
using aelab::testing::small_config;

namespace {

// A loader that counts its calls by data set name.
struct CountingLoader {
    std::map<std::string, int> calls;
    DatasetLoader loader() {
        return [this](const std::string& name) -> Expected<std::shared_ptr<const Dataset>> {
            ++calls[name];
            if (name == "missing") return Error{"data folder 'missing' not found"};
            return make_synthetic(name);
        };
    }
};

}  // namespace

TEST(ReadyRun, MakesASessionOnThePreparedData) {
    CountingLoader count;
    auto ready = prepare_run(small_config(), nullptr, count.loader());
    ASSERT_TRUE(ready) << ready.error();
    EXPECT_EQ(ready->session->step(), 0);
    EXPECT_EQ(ready->session->shared_data(), ready->data.prepared);
    EXPECT_EQ(ready->data.name, "bars");
    EXPECT_EQ(ready->data.key, prepared_data_key(small_config()));
    EXPECT_EQ(count.calls["bars"], 1);
}

TEST(ReadyRun, TakesFromTheCacheWhatStillFits) {
    CountingLoader count;
    const Config c = small_config();
    auto first = load_run_data(c, count.loader());
    ASSERT_TRUE(first) << first.error();

    Config knobs_only = c;  // knobs do not change the prepared data
    knobs_only.knobs.lr *= 2;
    EXPECT_FALSE(first->needs_load(knobs_only));
    auto same = load_run_data(knobs_only, count.loader(), *first);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->prepared, first->prepared) << "neither loaded nor prepared again";
    EXPECT_EQ(count.calls["bars"], 1);

    Config subset = c;  // the same set, prepared otherwise
    subset.train_size = 64;
    auto smaller = load_run_data(subset, count.loader(), *first);
    ASSERT_TRUE(smaller);
    EXPECT_EQ(smaller->full, first->full) << "not loaded again";
    EXPECT_NE(smaller->prepared, first->prepared);
    EXPECT_EQ(smaller->prepared->train_x.cols(), 64);
    EXPECT_EQ(count.calls["bars"], 1);

    Config other = c;  // another set: loaded
    other.dataset = "shapes";
    EXPECT_TRUE(first->needs_load(other));
    auto shapes = load_run_data(other, count.loader(), *first);
    ASSERT_TRUE(shapes);
    EXPECT_EQ(shapes->name, "shapes");
    EXPECT_EQ(count.calls["shapes"], 1);
}

TEST(ReadyRun, RefusesBeforeMakingAModel) {
    CountingLoader count;
    Config missing = small_config();
    missing.dataset = "missing";
    auto none = prepare_run(missing, nullptr, count.loader());
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().find("not found"), std::string::npos) << none.error();

    Config huge = small_config();
    huge.hidden = {100000, 100000};  // 40 GB of parameters
    auto data = load_run_data(huge, count.loader());
    ASSERT_TRUE(data);
    auto error = check_run_fits(huge, *data->prepared, /*resuming=*/false);
    ASSERT_TRUE(error);
    EXPECT_NE(error->message.find("GB"), std::string::npos) << error->message;
    EXPECT_TRUE(check_run_fits(huge, *data->prepared, /*resuming=*/true))
        << "a resumed run is checked for memory too";
    EXPECT_FALSE(prepare_run(huge, nullptr, count.loader()));

    Config bad = small_config();
    bad.knobs.batch = 0;
    EXPECT_TRUE(check_run_fits(bad, *data->prepared, /*resuming=*/false));
}

TEST(ReadyRun, ResumesWhereTheRunStopped) {
    const Config c = small_config();
    auto ready = prepare_run(c, nullptr, aelab::testing::load_synthetic);
    ASSERT_TRUE(ready) << ready.error();
    for (int i = 0; i < 7; ++i) ready->session->train_step();
    const RunState state = ready->session->state();
    auto resumed = prepare_run(c, &state, aelab::testing::load_synthetic, ready->data);
    ASSERT_TRUE(resumed) << resumed.error();
    EXPECT_EQ(resumed->session->step(), 7);
    EXPECT_EQ(resumed->data.prepared, ready->data.prepared);
    EXPECT_EQ(ready->session->train_step().total(), resumed->session->train_step().total());
}
