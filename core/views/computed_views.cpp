// The registry of computed views: the one place that knows every view. The trainer builds
// one of each and runs those whose panel asks; see computed_view.h.
#include "core/run/computed_view.h"
#include "core/views/anomaly_view.h"
#include "core/views/backprop_view.h"
#include "core/views/filters_view.h"
#include "core/views/latent.h"
#include "core/views/model_figures.h"
#include "core/views/pca_view.h"

namespace aelab {

std::unique_ptr<ComputedView> make_computed_view(ViewId id) {
    switch (id) {
        case ViewId::Latent:
            return std::make_unique<LatentExplorer>();
        case ViewId::Filters:
            return std::make_unique<FiltersExplorer>();
        case ViewId::Pca:
            return std::make_unique<PcaExplorer>();
        case ViewId::Anomaly:
            return std::make_unique<AnomalyExplorer>();
        case ViewId::Backprop:
            return std::make_unique<BackpropExplorer>();
        case ViewId::ModelFigures:
            return std::make_unique<ModelFiguresExplorer>();
        case ViewId::Count:
            break;
    }
    return nullptr;
}

}  // namespace aelab
