// Small helpers shared by the core tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/run/ready_run.h"

namespace aelab::testing {

// A small model on a built-in data set: quick to build and to train a few steps.
inline Config small_config() {
    Config c;
    c.dataset = "bars";  // built in, 16×16: fast even under sanitizers
    c.hidden = {24};
    c.knobs.batch = 16;
    return c;
}

// The built-in data sets, as a DatasetLoader (no files read).
inline Expected<std::shared_ptr<const Dataset>> load_synthetic(const std::string& name) {
    return make_synthetic(name);
}

// The built-in data set `config` names, prepared as the config asks (subset, binarised, …).
inline std::shared_ptr<const Dataset> prepared(const Config& config) {
    auto data = load_run_data(config, load_synthetic);
    EXPECT_TRUE(data) << data.error();
    return data ? data->prepared : nullptr;
}

}  // namespace aelab::testing
