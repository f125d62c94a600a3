#include "core/model/parallel_objective.h"

#include <algorithm>

#include "core/base/check.h"

namespace aelab {

int ParallelObjective::slices_for(const Network& net, int batch, int threads) {
    const double work_per_sample = 3.0 * double(net.param_count());
    const int by_samples = batch / kMinSliceSamples;
    const int by_work = int(std::min(1e9, double(batch) * work_per_sample / kMinSliceWork));
    return std::max(1, std::min({threads, by_samples, by_work}));
}

MatMap ParallelObjective::eps(const Network& net, int batch) {
    const int d = std::max(1, net.latent());
    if (m_eps.rows() != d || m_eps.cols() < batch) m_eps.resize(d, std::max<Eigen::Index>(batch, m_eps.cols()));
    return MatMap(m_eps.data(), d, batch);
}

void ParallelObjective::prepare(const Network& net, int batch, int slices) {
    if (int(m_slices.size()) < slices) m_slices.resize(slices);
    m_workspaces.resize(slices);
    const int capacity = (batch + slices - 1) / slices;
    for (int s = 0; s < slices; ++s) {
        m_slices[s].ws.reserve(net, capacity);
        m_workspaces[s] = &m_slices[s].ws;
    }
    if (net.kind() == ModelKind::Autoencoder && m_p_hat.size() != net.code_size())
        m_p_hat.resize(net.code_size());
}

Terms ParallelObjective::run(WorkerPool* pool, int slices, const Network& net, ConstMatRef input,
                             ConstMatRef target, const Objective& obj, Vec& grad,
                             const Update* update, Vec* params) {
    const int batch = int(input.cols());
    const bool vae = net.kind() == ModelKind::Vae;
    AELAB_CHECK(slices >= 1 && slices <= std::max(1, batch), "slices outside 1 … batch");
    AELAB_CHECK(grad.size() == net.param_count() && (!update || params == &net.params()),
                "ParallelObjective: the gradient's size, or parameters not the network's");
    if (pool && pool->size() < slices) pool = nullptr;
    prepare(net, batch, slices);
    AELAB_CHECK(!vae || (m_eps.rows() == net.latent() && m_eps.cols() >= batch),
                "a VAE's ε must be filled through eps() before evaluate()");
    const auto first = [&](int s) { return WorkerPool::first_item(batch, slices, s); };
    const auto forward_slice = [&](int s) {
        Slice& slice = m_slices[s];
        const int start = first(s), b = first(s + 1) - start;
        if (vae) slice.ws.eps.leftCols(b) = m_eps.middleCols(start, b);
        forward(net, input.middleCols(start, b), slice.ws, /*sample=*/true);
        if (!vae && slices > 1)
            slice.code_sum.noalias() = slice.ws.act[net.code_layer()].leftCols(b).rowwise().sum();
    };
    const auto update_range = [&](ParamRange range) {
        if (update) update->optimizer.update(update->kind, update->lr, *params, grad, range);
    };
    if (update) update->optimizer.begin_step(update->kind, params->size());
    // A batch kept whole runs each layer's products as soon as the sweep has passed it (its δ
    // still in the cache) and updates what they wrote; slices wait for each other's deltas
    // (below).
    struct Whole {
        const Network& net;
        const Objective& obj;
        ConstMatRef input;
        const Workspace& ws;
        Vec& grad;
        const decltype(update_range)& update;
    } whole{net, obj, input, m_slices[0].ws, grad, update_range};
    const LayerDone layer_done{[](void* context, int layer) {
                                   auto& w = *static_cast<Whole*>(context);
                                   for (const ParamRange& range : whole_batch_layer_gradient(
                                            w.net, w.obj, w.input, w.ws, layer, w.grad))
                                       w.update(range);
                               },
                               &whole};
    const auto finish_slice = [&](int s) {
        Slice& slice = m_slices[s];
        const int start = first(s), b = first(s + 1) - start;
        const Vec* p_hat = slices > 1 ? &m_p_hat : &slice.ws.p_hat;
        slice.terms = slice_objective(net, input.middleCols(start, b), target.middleCols(start, b),
                                      obj, slice.ws, /*deltas=*/true, /*sample=*/true,
                                      {batch, p_hat, s == 0}, slices == 1 ? layer_done : LayerDone{});
    };
    const auto batch_p_hat = [&] {
        if (vae || slices == 1) return;  // one slice: forward() left the batch's p̂ in its ws
        m_p_hat = m_slices[0].code_sum;
        for (int s = 1; s < slices; ++s) m_p_hat += m_slices[s].code_sum;
        m_p_hat /= float(batch);
    };
    // Only a sparsity penalty couples the slices before the backward sweep (through the
    // batch's p̂): without one, each slice runs forward and backward in one go.
    const bool coupled = !vae && obj.sparsity != SparsityKind::None && obj.sparsity_beta != 0.0f;
    if (coupled) {
        run_parts(pool, slices, forward_slice);
        batch_p_hat();
        run_parts(pool, slices, finish_slice);
    } else {
        run_parts(pool, slices, [&](int s) {
            forward_slice(s);
            finish_slice(s);
        });
        batch_p_hat();
    }
    // Slices: the gradient's products, shared out by columns; each part updated as it is
    // finished.
    if (slices > 1)
        run_parts(pool, slices, [&](int part) {
            for (int block = 0; block < gradient_block_count(net); ++block)
                update_range(gradient_block(net, obj, input, m_workspaces, block, part, slices, grad));
        });
    Terms terms = m_slices[0].terms;
    for (int s = 1; s < slices; ++s) {
        const Terms& t = m_slices[s].terms;
        terms.recon += t.recon;
        terms.contractive += t.contractive;
        terms.kl += t.kl;
    }
    return terms;
}

}  // namespace aelab
