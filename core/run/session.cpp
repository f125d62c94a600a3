#include "core/run/session.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <optional>
#include <sstream>

#include "core/base/check.h"
#include "core/data/corruption.h"
#include "core/model/pieces.h"
#include "core/run/memory_budget.h"

namespace aelab {
namespace {

// Each source of randomness gets its own stream derived from the run's seed, so changing
// e.g. the noise does not change the batch order, and a reset replays the run exactly.
constexpr uint32_t kOrderStream = 0x9E3779B9u;
constexpr uint64_t kNoiseStream = 0xA5A5A5A5ull;
constexpr uint64_t kProbeNoiseSeed = 0xC0FFEEull;
constexpr float kPHatAverageRate = 0.05f;  // p̂ panel: exponential average over ~20 batches

// Counters a run can reach (2^53, exact in a double): `step + 1` and `samples + batch` never
// overflow, as they would from INT64_MAX in a hand-made file.
constexpr int64_t kMaxRunCount = int64_t(1) << 53;

// The optimiser's moments as its kind uses them: a moment it reads must have one value per
// parameter (a (0,) second moment under Adam made Optimizer::step write past its end). A fresh
// optimiser, or a moment its kind does not read, may be empty or full (a reset or a change of
// kind keeps the old buffers). Second moments are variances: finite and never negative.
std::optional<std::string> check_optimizer_fits(const OptimizerState& o, Eigen::Index parameters) {
    const bool first_used = !o.fresh && o.kind != OptimizerKind::Sgd;
    const bool second_used = !o.fresh && o.kind == OptimizerKind::Adam;
    const auto size_fits = [&](const char* name, const Vec& v, bool used) -> std::optional<std::string> {
        if (v.size() == parameters || (!used && v.size() == 0)) return std::nullopt;
        return std::string(name) + " has " + std::to_string(v.size()) + " values; " +
               (used ? "" : "0 or ") + std::to_string(parameters) + " fit a " +
               to_string(o.kind) + " optimiser of this model";
    };
    if (auto error = size_fits("optimizer_first.npy", o.first, first_used)) return error;
    if (auto error = size_fits("optimizer_second.npy", o.second, second_used)) return error;
    if (!o.first.allFinite()) return "optimizer_first.npy holds NaN or infinity";
    if (!o.second.allFinite() || (o.second.array() < 0).any())
        return "optimizer_second.npy holds NaN, infinity or a negative value (a variance)";
    if (o.t < 0 || o.t > kMaxRunCount) return "run.json: optimizer.t out of range (0 to 2^53)";
    return std::nullopt;
}

// std::mt19937's text as operator<< writes it: 624 state words, then the position in them.
// operator>> takes any 64-bit word (the engine's words are uint_fast32_t) and any position,
// and such an engine returns values past 2³²−1 that std::shuffle then uses as an index: a
// heap write out of bounds. So the text is checked word by word before the engine sees it.
std::optional<std::string> read_mt19937(const std::string& text, std::mt19937& out) {
    constexpr size_t kWords = std::mt19937::state_size;
    std::vector<uint64_t> words;
    const char* at = text.data();
    const char* const end = at + text.size();
    while (true) {
        while (at != end && (*at == ' ' || *at == '\n')) ++at;
        if (at == end) break;
        if (words.size() == kWords + 1) return "more than " + std::to_string(kWords + 1) + " numbers";
        uint64_t word = 0;
        const auto [next, ec] = std::from_chars(at, end, word);
        if (ec != std::errc() || (next != end && *next != ' ' && *next != '\n'))
            return "number " + std::to_string(words.size() + 1) + " is not a whole number";
        words.push_back(word);
        at = next;
    }
    if (words.size() != kWords + 1)
        return std::to_string(words.size()) + " numbers; a std::mt19937 state has " +
               std::to_string(kWords + 1) + " (624 words and a position)";
    for (size_t i = 0; i < kWords; ++i)
        if (words[i] > 0xffffffffull)
            return "word " + std::to_string(i + 1) + " (" + std::to_string(words[i]) +
                   ") is past 32 bits";
    if (words[kWords] > kWords)
        return "position " + std::to_string(words[kWords]) + " is past " + std::to_string(kWords);
    // The top bit of the first word and the other words all zero: the generator would give
    // zeros forever (a seeded one never is).
    bool zero = (words[0] & 0x80000000u) == 0;
    for (size_t i = 1; i < kWords && zero; ++i) zero = words[i] == 0;
    if (zero) return "an all-zero state";
    std::istringstream in(text);
    in >> out;
    AELAB_CHECK(bool(in), "a checked mt19937 state did not read");
    return std::nullopt;
}

}  // namespace

Expected<std::unique_ptr<Session>> Session::create(const Config& config,
                                                   std::shared_ptr<const Dataset> data) {
    if (auto error = validate_config(config)) return *error;
    if (!data || data->train_x.cols() == 0 || data->test_x.cols() == 0)
        return Error{"dataset '" + config.dataset + "' has no training or no test samples"};
    if (auto error = check_model_fits(config, data->input_size())) return *error;
    std::mt19937 init_rng(config.seed);
    return std::unique_ptr<Session>(new Session(config, std::move(data), init_rng));
}

RunState Session::state() const {
    Checkpoint checkpoint;
    capture(checkpoint, nullptr);
    return checkpoint.run_state();
}

void Session::capture(Checkpoint& out, const std::shared_ptr<const EpochOrder>& order) const {
    RunState& s = out.state;
    s.config = m_config;
    s.params = m_network.params();
    m_optimizer.copy_state_to(s.optimizer);
    s.noise_rng = m_noise_rng.state();
    static_cast<RunProgress&>(s) = m_progress;  // the plain values, every one of them
    // The order changes only when an epoch ends (gather_batch), together with the epoch count.
    if (order && order->epoch == m_progress.epoch && order->order.size() == m_order.size()) {
        out.epoch_order = order;
        return;
    }
    auto fresh = std::make_shared<EpochOrder>();
    fresh->epoch = m_progress.epoch;
    std::ostringstream rng;
    rng << m_order_rng;
    fresh->rng = rng.str();
    fresh->order = m_order;
    out.epoch_order = std::move(fresh);
}

void Session::restore(const Checkpoint& checkpoint) {
    const RunState& s = checkpoint.state;
    AELAB_CHECK(s.params.size() == m_network.param_count() && checkpoint.epoch_order &&
                    checkpoint.epoch_order->order.size() == m_order.size(),
                "a checkpoint of another model or data");
    m_config = s.config;
    m_objective = Objective::from(m_config);
    assign(s);
    m_order = checkpoint.epoch_order->order;
    std::istringstream rng(checkpoint.epoch_order->rng);
    rng >> m_order_rng;
}

Expected<std::unique_ptr<Session>> Session::resume(const RunState& state,
                                                   std::shared_ptr<const Dataset> data) {
    // Every refusal names the file the state came from and the field that does not fit.
    const std::string source = state.source.empty() ? "run state" : state.source;
    const auto refuse = [&](const std::string& what) { return Error{source + ": " + what}; };
    auto made = create(state.config, data);
    if (!made) return refuse(made.error());
    std::unique_ptr<Session> session = std::move(*made);
    const Eigen::Index parameters = session->m_network.param_count();
    if (state.params.size() != parameters)
        return refuse("params.npy has " + std::to_string(state.params.size()) +
                      " parameters, the config's model has " + std::to_string(parameters));
    if (!state.params.allFinite()) return refuse("params.npy holds NaN or infinity");
    if (auto error = check_optimizer_fits(state.optimizer, parameters)) return refuse(*error);
    if (state.step < 0 || state.samples_seen < 0 || state.epoch < 0 ||
        state.step > kMaxRunCount || state.samples_seen > kMaxRunCount || state.epoch > kMaxRunCount)
        return refuse("run.json: step, samples_seen or epoch out of range (0 to 2^53)");
    if (!std::isfinite(state.training_seconds) || state.training_seconds < 0)
        return refuse("run.json: training_seconds is not a finite, non-negative number");

    const int total = int(data->train_x.cols());
    std::vector<bool> seen(total, false);
    bool permutation = int(state.order.size()) == total;
    for (int i : state.order) {
        permutation = permutation && i >= 0 && i < total && !seen[i];
        if (i >= 0 && i < total) seen[i] = true;
    }
    if (!permutation)
        return refuse("order.npy is not a permutation of the " + std::to_string(total) +
                      " training samples");
    if (state.position < 0 || state.position > total)
        return refuse("run.json: position " + std::to_string(state.position) +
                      " is outside the order's " + std::to_string(total) + " places");
    const int tests = int(data->test_x.cols());
    for (int i : state.probe_indices)
        if (i < 0 || i >= tests)
            return refuse("probe_indices.npy: " + std::to_string(i) + " is not one of the " +
                          std::to_string(tests) + " test images");
    if (state.p_hat_average.size() != session->m_progress.p_hat_average.size())
        return refuse("p_hat_average.npy has " + std::to_string(state.p_hat_average.size()) +
                      " units, the config's code has " +
                      std::to_string(session->m_progress.p_hat_average.size()));
    if (!state.p_hat_average.allFinite()) return refuse("p_hat_average.npy holds NaN or infinity");
    if (auto error = read_mt19937(state.order_rng, session->m_order_rng))
        return refuse("run.json: order_rng (the batch order's random state): " + *error);

    session->assign(state);
    session->m_order = state.order;
    return session;
}

void Session::assign(const RunState& state) {
    m_network.params() = state.params;
    m_optimizer.restore(state.optimizer);
    m_noise_rng.set_state(state.noise_rng);
    const std::vector<int> defaults = m_progress.probe_indices;
    m_progress = state;  // the plain values, every one of them; the probes are merged below
    if (state.probe_indices.empty()) {
        m_progress.probe_indices = defaults;
        return;
    }
    // The saved probes come first (a run saved when there were fewer probes keeps its chosen
    // ones, "probe 1" included); the default choice fills the rest.
    std::vector<int> probes;
    for (const std::vector<int>* source : {&state.probe_indices, &defaults})
        for (int i : *source)
            if (probes.size() < defaults.size() &&
                std::find(probes.begin(), probes.end(), i) == probes.end())
                probes.push_back(i);
    m_progress.probe_indices = probes;
    for (int i = 0; i < int(probes.size()); ++i) m_probe_x.col(i) = m_data->test_x.col(probes[i]);
}

Session::Session(const Config& config, std::shared_ptr<const Dataset> data, std::mt19937& init_rng)
    : m_config(config),
      m_data(std::move(data)),
      m_network(config, m_data->input_size(), init_rng),
      m_objective(Objective::from(config)),
      m_order_rng(config.seed ^ kOrderStream),
      m_noise_rng(uint64_t(config.seed) * 0x100000001ull + kNoiseStream) {
    m_grad.setZero(m_network.param_count());
    m_order.resize(m_data->train_x.cols());
    std::iota(m_order.begin(), m_order.end(), 0);
    std::shuffle(m_order.begin(), m_order.end(), m_order_rng);
    if (m_network.kind() == ModelKind::Autoencoder) m_progress.p_hat_average.setZero(m_network.code_size());

    m_progress.probe_indices = probe_indices(*m_data, kProbeCount);
    const int p = int(m_progress.probe_indices.size());
    m_probe_x.resize(m_data->input_size(), p);
    for (int i = 0; i < p; ++i) m_probe_x.col(i) = m_data->test_x.col(m_progress.probe_indices[i]);
    m_probe_input.resize(m_data->input_size(), p);
    m_probe_ws.reserve(m_network, p);
}

bool Session::set_first_probe(int test_index) {
    if (test_index < 0 || test_index >= int(m_data->test_x.cols()) || m_progress.probe_indices.empty())
        return false;
    auto found = std::find(m_progress.probe_indices.begin(), m_progress.probe_indices.end(), test_index);
    if (found == m_progress.probe_indices.end()) found = m_progress.probe_indices.end() - 1;  // drop the last
    m_progress.probe_indices.erase(found);
    m_progress.probe_indices.insert(m_progress.probe_indices.begin(), test_index);
    for (int i = 0; i < int(m_progress.probe_indices.size()); ++i)
        m_probe_x.col(i) = m_data->test_x.col(m_progress.probe_indices[i]);
    return true;
}

std::vector<std::string> Session::set_knobs(const Knobs& knobs) {
    Config updated = m_config;
    updated.knobs = knobs;
    std::vector<std::string> changes = describe_changes(m_config, updated, /*live=*/true);
    m_config = updated;
    m_objective = Objective::from(m_config);
    return changes;
}

void Session::gather_batch(int batch) {
    const int n = m_data->input_size();
    if (m_batch.cols() < batch) {  // grows only when the batch knob grows
        m_batch.resize(n, batch);
        m_input.resize(n, batch);
    }
    if (int(m_batch_samples.size()) < batch) m_batch_samples.resize(batch);
    const int total = int(m_order.size());
    for (int i = 0; i < batch; ++i) {
        if (m_progress.position == total) {
            std::shuffle(m_order.begin(), m_order.end(), m_order_rng);
            m_progress.position = 0;
            ++m_progress.epoch;
        }
        m_batch_samples[i] = m_order[m_progress.position++];
    }
    // Cut as the batch's slices are, so each thread copies the columns it will read next:
    // the copy runs in parallel and stays in that thread's cache.
    const int slices =
        m_pool ? ParallelObjective::slices_for(m_network, batch, m_pool->size()) : 1;
    run_parts(m_pool.get(), slices, [&](int part) {
        const int end = WorkerPool::first_item(batch, slices, part + 1);
        for (int i = WorkerPool::first_item(batch, slices, part); i < end; ++i)
            m_batch.col(i) = m_data->train_x.col(m_batch_samples[i]);
    });
}

const Terms& Session::train_step() {
    const auto start = std::chrono::steady_clock::now();
    const Knobs& knobs = m_config.knobs;
    const int batch = knobs.batch;
    gather_batch(batch);
    auto clean = m_batch.leftCols(batch);
    auto input = m_input.leftCols(batch);
    const bool noisy = knobs.noise != NoiseKind::None;
    if (noisy) corrupt(knobs.noise, knobs.noise_level, clean, input, m_noise_rng);
    if (m_network.kind() == ModelKind::Vae)
        m_noise_rng.fill_normal(m_batch_objective.eps(m_network, batch).data(),
                                long(m_network.latent()) * batch);
    // The batch is cut into slices on the pool's threads (one slice without a pool), and
    // each thread updates the parameters whose gradient it sums.
    m_progress.last_terms = m_batch_objective.train(
        m_pool.get(), m_network, noisy ? ConstMatRef(input) : ConstMatRef(clean), clean,
        m_objective, m_grad, {m_optimizer, knobs.optimizer, knobs.lr});
    const Vec& p_hat = m_batch_objective.p_hat();
    if (m_progress.p_hat_average.size() > 0) {
        if (m_progress.step == 0)
            m_progress.p_hat_average = p_hat;
        else
            m_progress.p_hat_average += kPHatAverageRate * (p_hat - m_progress.p_hat_average);
    }
    ++m_progress.step;
    m_progress.samples_seen += batch;
    m_progress.training_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return m_progress.last_terms;
}

double Session::epoch_progress() const {
    return double(m_progress.position) / double(m_order.size());
}

Evaluation Session::evaluate_test(const EvaluationOptions& options) {
    return m_evaluator.run(m_network, m_objective, m_data->test_x, options, m_pool.get());
}

Evaluation Session::evaluate_train(const EvaluationOptions& options) {
    return m_evaluator.run(m_network, m_objective, m_data->train_x, options, m_pool.get());
}

Evaluation Session::evaluate_test_set() {
    return evaluate_test(EvaluationOptions::clean(m_config.knobs));
}

Evaluation Session::evaluate_test_set_corrupted() {
    return evaluate_test(as_trained());
}

Mat Session::encode_test_set() const {
    const bool vae = m_network.kind() == ModelKind::Vae;
    const int d = vae ? m_network.latent() : m_network.code_size();
    // In the views' pieces, as the latent scatter and the codes' export cut the test set: a
    // product's rounding depends on its width under some kernels (Haswell, Zen), so other
    // pieces would give codes an ulp apart from theirs.
    const Pieces pieces{int(m_data->test_x.cols()), kViewPiece};
    Workspace ws;
    ws.reserve(m_network, pieces.size);
    Mat codes(d, pieces.total);
    for (int piece = 0; piece < pieces.count(); ++piece) {
        const int start = pieces.start(piece), b = pieces.length(piece);
        encode(m_network, m_data->test_x.middleCols(start, b), ws);
        codes.middleCols(start, b) = ws.act[m_network.code_layer()].leftCols(b).topRows(d);
    }
    return codes;
}

Mat Session::decode(const Mat& codes) const {
    Workspace ws;
    ws.reserve(m_network, int(codes.cols()));
    aelab::decode(m_network, codes, ws);
    return reconstruction(ws, int(codes.cols()));
}

void Session::fill_snapshot(Snapshot& out) {
    fill_progress(out);
    fill_model_views(out);
}

void Session::fill_progress(Snapshot& out) const {
    const Dataset& data = *m_data;
    out.config = m_config;
    out.data.set = m_data;
    out.data.name = data.name;
    out.data.image_width = data.width;
    out.data.image_height = data.height;
    out.data.class_names = data.class_names;
    out.data.train_samples = int(data.train_x.cols());
    out.data.test_samples = int(data.test_x.cols());
    out.progress.step = m_progress.step;
    out.progress.epoch = m_progress.epoch;
    out.progress.epoch_progress = epoch_progress();
    out.progress.samples_seen = m_progress.samples_seen;
    out.progress.training_seconds = m_progress.training_seconds;
    out.curves.last_train_terms = m_progress.last_terms;
}

void Session::fill_model_views(Snapshot& out) {
    const Dataset& data = *m_data;
    const int p = int(m_progress.probe_indices.size());
    // The probe's noise is the same draw every time (only its strength follows the knob),
    // so the corrupted row stays still while the reconstruction changes.
    const Knobs& knobs = m_config.knobs;
    out.model.probes.is_corrupted = knobs.noise != NoiseKind::None;
    m_probe_rng.reseed(kProbeNoiseSeed);
    corrupt(knobs.noise, knobs.noise_level, m_probe_x, m_probe_input, m_probe_rng);
    forward(m_network, m_probe_input, m_probe_ws, /*sample=*/false);
    out.model.probes.labels.resize(p);
    for (int i = 0; i < p; ++i) out.model.probes.labels[i] = data.test_y[m_progress.probe_indices[i]];
    out.model.probes.input = m_probe_x;
    out.model.probes.corrupted = m_probe_input;
    out.model.probes.output = reconstruction(m_probe_ws, p);
    // The views show pixels: normalised inputs (normalize=center, standardize) go back.
    for (Mat* images : {&out.model.probes.input, &out.model.probes.corrupted, &out.model.probes.output})
        data.denormalise(*images);

    const int encoder_layers = m_network.code_layer() + 1;
    out.model.probes.hidden.resize(encoder_layers);
    out.model.probes.hidden_names.resize(encoder_layers);
    for (int l = 0; l < encoder_layers; ++l) {
        out.model.probes.hidden[l] = m_probe_ws.act[l].leftCols(p);
        const int size = m_network.layers()[l].out;
        const bool code = l == m_network.code_layer();
        out.model.probes.hidden_names[l] =
            code ? (m_network.kind() == ModelKind::Vae ? "μ and log σ² (" : "code (") +
                       std::to_string(size) + ")"
                 : "layer " + std::to_string(l + 1) + " (" + std::to_string(size) + ")";
    }
    // Before the first step there is no training batch to average: the probe's p̂ stands in,
    // rather than zeros that would read as "every unit dead".
    if (m_progress.step == 0 && m_network.kind() == ModelKind::Autoencoder)
        out.model.p_hat = m_probe_ws.act[m_network.code_layer()].leftCols(p).rowwise().mean();
    else
        out.model.p_hat = m_progress.p_hat_average;

}

ProbeJacobians Session::probe_jacobians() {
    const int p = int(m_probe_x.cols());
    if (p == 0) return {};
    forward(m_network, m_probe_x, m_jacobian_ws, /*sample=*/false);
    m_probe_jacobian.resize(p);
    ProbeJacobians result;
    jacobian_fro2_per_sample(m_network, m_jacobian_ws, p, m_probe_jacobian.data());
    for (float v : m_probe_jacobian) result.first_layer += v / p;
    code_jacobian_fro2_per_sample(m_network, m_jacobian_ws, p, m_probe_jacobian.data());
    for (float v : m_probe_jacobian) result.code += v / p;
    return result;
}

}  // namespace aelab
