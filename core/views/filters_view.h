// The filters' weights as a computed view: the first layer's W (m×n) and the last layer's
// W* (n×m), copied out of the model only while the Filters panel is open (for a 1,000-unit
// model that is 6 MB a publication). Requested with FiltersRequest, published as FiltersView
// under ViewId::Filters.
#pragma once

#include "core/base/tensor.h"
#include "core/run/computed_view.h"

namespace aelab {

struct FiltersRequest : ViewRequestOf<FiltersRequest> {
    bool operator==(const FiltersRequest&) const = default;
};

struct FiltersView : ViewResult {
    Mat encoder_weights;  // W, m×n: row j is unit j's incoming weights
    Mat decoder_weights;  // W*, n×m: column j is unit j's outgoing weights
    int64_t step = 0;     // the training step they were copied at
};

// Trainer thread only.
class FiltersExplorer : public ComputedView {
public:
    std::shared_ptr<const ViewResult> update(const ViewInputs& in,
                                             const ViewRequest& request) override;
    void reset() override { m_last.reset(); }

private:
    std::shared_ptr<const FiltersView> m_last;  // kept while the model has not moved
};

}  // namespace aelab
