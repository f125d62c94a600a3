// Small helpers shared by the core tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/run/ready_run.h"

namespace aelab::testing {

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
