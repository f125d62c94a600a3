#include "core/run/ready_run.h"

#include "core/run/memory_budget.h"

namespace aelab {

Expected<RunData> load_run_data(const Config& config, const DatasetLoader& load,
                                const RunData& cached) {
    RunData data = cached;
    if (data.needs_load(config)) {
        auto loaded = load(config.dataset);
        if (!loaded) return Error{loaded.error()};
        data.full = *loaded;
        data.name = config.dataset;
        data.prepared.reset();
    }
    const std::string key = prepared_data_key(config);
    if (!data.prepared || data.key != key) {
        auto made = prepare_dataset(data.full, config);
        if (!made) return Error{made.error()};
        data.prepared = *made;
        data.key = key;
    }
    return data;
}

std::optional<Error> check_run_fits(const Config& config, const Dataset& prepared, bool resuming) {
    if (!resuming) {
        if (auto error = validate_config(config)) return error;
        if (prepared.train_x.cols() == 0 || prepared.test_x.cols() == 0)
            return Error{"dataset '" + config.dataset + "' has no training or no test samples"};
    }
    return check_model_fits(config, prepared.input_size());
}

Expected<std::unique_ptr<Session>> start_session(const Config& config, const RunState* from,
                                                 std::shared_ptr<const Dataset> prepared) {
    return from ? Session::resume(*from, std::move(prepared))
                : Session::create(config, std::move(prepared));
}

Expected<ReadyRun> prepare_run(const Config& config, const RunState* from,
                               const DatasetLoader& load, const RunData& cached) {
    auto data = load_run_data(config, load, cached);
    if (!data) return Error{data.error()};
    if (auto error = check_run_fits(config, *data->prepared, from != nullptr)) return *error;
    auto session = start_session(config, from, data->prepared);
    if (!session) return Error{session.error()};
    return ReadyRun{std::move(*data), std::move(*session)};
}

}  // namespace aelab
