// Config keys: parsing, refusals that name the key and the allowed values, JSON round trip.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/config.h"

using namespace aelab;

TEST(Config, EveryKeyHasADefaultThatParsesBackToTheDefaultConfig) {
    Config parsed;
    for (const ConfigKey& key : config_keys()) {
        Config fresh;
        EXPECT_EQ(get_config_value(fresh, key.name), key.default_value) << key.name;
        EXPECT_FALSE(set_config_value(parsed, key.name, key.default_value)) << key.name;
    }
    EXPECT_EQ(parsed, Config{});
}

TEST(Config, SetsValuesFromKeyEqualsValue) {
    Config c;
    EXPECT_FALSE(apply_setting(c, "hidden=512,64,8"));
    EXPECT_EQ(c.hidden, (std::vector<int>{512, 64, 8}));
    EXPECT_FALSE(apply_setting(c, "encoder_act=tanh"));
    EXPECT_EQ(c.encoder_act, Activation::Tanh);
    EXPECT_FALSE(apply_setting(c, "lr=0.05"));
    EXPECT_FLOAT_EQ(c.knobs.lr, 0.05f);
    EXPECT_FALSE(apply_setting(c, "tied=yes"));
    EXPECT_TRUE(c.tied);
    EXPECT_FALSE(apply_setting(c, "dataset=/some/folder"));
    EXPECT_EQ(c.dataset, "/some/folder");
}

TEST(Config, RefusesUnknownKeysAndBadValuesNamingThem) {
    Config c;
    auto unknown = apply_setting(c, "learning_rate=0.1");
    ASSERT_TRUE(unknown);
    EXPECT_NE(unknown->message.find("'learning_rate'"), std::string::npos);
    EXPECT_NE(unknown->message.find("lr"), std::string::npos);  // lists the known keys

    for (const char* bad : {"lr=0", "lr=-1", "lr=abc", "batch=0", "batch=2.5", "hidden=",
                            "hidden=10,,5", "hidden=-3", "encoder_act=softmax", "tied=maybe",
                            "noise_level=1.5", "sparsity_p=0", "sparsity_p=1", "seed=-1"}) {
        Config before = c;
        auto error = apply_setting(c, bad);
        ASSERT_TRUE(error) << bad;
        const std::string key = std::string(bad).substr(0, std::string(bad).find('='));
        EXPECT_NE(error->message.find("'" + key + "'"), std::string::npos) << error->message;
        EXPECT_NE(error->message.find("allowed:"), std::string::npos) << error->message;
        EXPECT_EQ(c, before) << "a refused value must leave the config unchanged";
    }
    EXPECT_TRUE(apply_setting(c, "no equals sign"));
}

TEST(Config, TiedVaeIsRefusedWithAReason) {
    Config c;
    c.model = ModelKind::Vae;
    c.tied = true;
    auto error = validate_config(c);
    ASSERT_TRUE(error);
    EXPECT_NE(error->message.find("'tied'"), std::string::npos);
}

TEST(Config, JsonRoundTripKeepsEveryKey) {
    Config c;
    ASSERT_FALSE(apply_setting(c, "hidden=100,20"));
    ASSERT_FALSE(apply_setting(c, "lr=0.0123"));
    ASSERT_FALSE(apply_setting(c, "noise=mask"));
    ASSERT_FALSE(apply_setting(c, "binarize=true"));
    const nlohmann::json j = config_to_json(c);
    EXPECT_TRUE(j["hidden"].is_array());
    EXPECT_TRUE(j["lr"].is_number());
    EXPECT_TRUE(j["binarize"].is_boolean());
    EXPECT_EQ(j.size(), config_keys().size());
    Config back;
    EXPECT_FALSE(config_from_json(back, j, "test.json"));
    EXPECT_EQ(back, c);
}

TEST(Config, JsonErrorsNameTheFileAndKey) {
    Config c;
    auto error = config_from_json(c, nlohmann::json{{"lr", "fast"}}, "lesson.json");
    ASSERT_TRUE(error);
    EXPECT_NE(error->message.find("lesson.json"), std::string::npos);
    EXPECT_NE(error->message.find("'lr'"), std::string::npos);
    EXPECT_TRUE(config_from_json(c, nlohmann::json::array(), "x.json"));
    EXPECT_TRUE(config_from_json(c, nlohmann::json{{"hidden", {1.5, 2}}}, "x.json"));
}

TEST(Config, DescribesLiveAndStructuralChangesSeparately) {
    Config a, b;
    b.knobs.lr = 0.01f;
    b.hidden = {128};
    const auto live = describe_changes(a, b, true);
    const auto structural = describe_changes(a, b, false);
    ASSERT_EQ(live.size(), 1u);
    EXPECT_EQ(live[0], "lr 0.001 → 0.01");
    ASSERT_EQ(structural.size(), 1u);
    EXPECT_EQ(structural[0], "hidden 256,32 → 128");
}
