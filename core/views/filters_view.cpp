#include "core/views/filters_view.h"

#include "core/run/session.h"

namespace aelab {

std::shared_ptr<const ViewResult> FiltersExplorer::update(const ViewInputs& in,
                                                          const ViewRequest&) {
    const Session& session = in.session;
    if (m_last && m_last->step == session.step()) return m_last;
    const Network& net = session.network();
    auto view = std::make_shared<FiltersView>();
    view->step = session.step();
    view->encoder_weights = net.weight(0);
    const int last = int(net.layers().size()) - 1;
    if (net.layers()[last].transposed)  // tied: the decoder uses Wᵀ, stored as W
        view->decoder_weights = net.weight(last).transpose();
    else
        view->decoder_weights = net.weight(last);
    m_last = view;
    return m_last;
}

}  // namespace aelab
