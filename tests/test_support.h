// Small helpers shared by the core tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/config/config.h"
#include "core/data/dataset.h"

namespace aelab::testing {

// The built-in data set `config` names, prepared as the config asks (subset, binarised, …).
inline std::shared_ptr<const Dataset> prepared(const Config& config) {
    auto data = prepare_dataset(make_synthetic(config.dataset), config);
    EXPECT_TRUE(data) << data.error();
    return data ? *data : nullptr;
}

}  // namespace aelab::testing
