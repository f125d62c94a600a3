// Loss histories that stay small however long training runs: samples are merged into at most
// `capacity` buckets (min, max and mean each), so plots cost the same at step 100 and at step
// 10 million. Owned by the trainer thread; copied into snapshots.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aelab {

class ThinnedSeries {
public:
    ThinnedSeries() : ThinnedSeries(1024) {}
    explicit ThinnedSeries(int capacity);

    void add(double x, float y);
    void clear();
    // Forgets the buckets past step x (whole buckets: a bucket ending after x goes), so that
    // a run branched at x continues the curve from there.
    void drop_after(double x);

    int size() const { return int(m_x.size()); }
    bool empty() const { return m_x.empty(); }
    // Per bucket: x of its last sample, and the mean, min and max of its samples.
    const std::vector<float>& x() const { return m_x; }
    const std::vector<float>& mean() const { return m_mean; }
    const std::vector<float>& min() const { return m_min; }
    const std::vector<float>& max() const { return m_max; }
    float last() const { return m_last; }
    long samples_per_bucket() const { return m_per_bucket; }
    int capacity() const { return m_capacity; }

    // Everything the series is, for run files: restore(buckets()) gives the same series, which
    // then grows exactly as the original would have.
    struct Buckets {
        long per_bucket = 1;
        float last = 0;
        std::vector<float> x, mean, min, max;
        std::vector<long> count;
    };
    Buckets buckets() const;
    // Checks the buckets fit this series (sizes, capacity, counts, x never decreasing) and
    // says what does not; the series is unchanged then.
    std::optional<std::string> restore(const Buckets& buckets);

private:
    void halve();

    int m_capacity;
    long m_per_bucket = 1;
    float m_last = 0;
    std::vector<float> m_x, m_mean, m_min, m_max;
    std::vector<long> m_count;
};

enum class Term { Recon, L2, Sparsity, Contractive, Kl, Count };
inline constexpr int kTermCount = int(Term::Count);
const char* term_name(Term term);  // "reconstruction", "L2", …

// A knob change, drawn on the loss curves.
struct Marker {
    int64_t step = 0;
    std::string label;
};

struct History {
    ThinnedSeries train;       // total objective of each mini-batch
    ThinnedSeries test;        // the same objective on the held-out subset (noise included)
    ThinnedSeries test_clean;  // …on clean inputs, while the run uses input noise
    std::array<ThinnedSeries, kTermCount> train_terms;
    ThinnedSeries probe_jacobian;       // mean ‖J_x(h₁)‖²_F of layer 1 over the probe images
    ThinnedSeries probe_code_jacobian;  // mean ‖J_x(h)‖²_F of the code over the probe images
    std::vector<Marker> markers;  // ascending step, at most kMaxMarkers
    // How often `test` (and test_clean) is measured: a point every test_every steps from step
    // test_every_since on (the trainer's TestPace). 0: not known (a curve read from a file,
    // until the run goes on). Earlier points may have come at another pace.
    int64_t test_every = 0;
    int64_t test_every_since = 0;

    // A class's day of slider drags and lessons is thousands of changes, each a marker that
    // every snapshot, compared run and run file copies: beyond this many the oldest go (their
    // stretch of the curves is thinned into a few buckets by then, too dense to hover).
    static constexpr size_t kMaxMarkers = 1000;
    void add_marker(int64_t step, std::string label);

    void clear();
    // The curves and markers up to `step`, for a run branched there (ThinnedSeries::drop_after).
    void drop_after(int64_t step);
    // Every series under a stable name, for run files: "train", "test", "test_clean",
    // "term_reconstruction", "term_l2", …, "probe_jacobian", "probe_code_jacobian".
    std::vector<std::pair<std::string, ThinnedSeries*>> named_series();
    std::vector<std::pair<std::string, const ThinnedSeries*>> named_series() const;
};

// How often the test curve is measured, for its legend: "every 64 steps", "every step", or
// "" when not known.
std::string test_cadence_words(const History& history);

struct KeptRun;  // core/run/timeline.h

// A run kept beside the live one for comparison (the run a branch, a rebuild or a return left):
// its curves, drawn faded under its name, and while memory allows the whole run, to go back to.
struct ComparedRun {
    std::string name;
    History history;
    int64_t branched_at = 0;  // the step the run that followed it started from
    std::shared_ptr<const KeptRun> kept;  // null: its curves only
};

}  // namespace aelab
