#include "core/model/parallel_objective.h"

#include <algorithm>

#include "core/base/check.h"

namespace aelab {

int ParallelObjective::slices_for(const Network& net, int batch, int threads) {
    const double work_per_sample = 3.0 * double(net.param_count());
    const int by_samples = batch / kMinSliceSamples;
    const int by_work = int(std::min(1e9, double(batch) * work_per_sample / kMinSliceWork));
    const double part_bytes = double(net.param_count()) * sizeof(float);
    const int by_memory = 1 + int(std::min(1e9, kMaxExtraGradientBytes / std::max(1.0, part_bytes)));
    return std::max(1, std::min({threads, by_samples, by_work, by_memory}));
}

MatMap ParallelObjective::eps(const Network& net, int batch) {
    const int d = std::max(1, net.latent());
    if (m_eps.rows() != d || m_eps.cols() < batch) m_eps.resize(d, std::max<Eigen::Index>(batch, m_eps.cols()));
    return MatMap(m_eps.data(), d, batch);
}

void ParallelObjective::prepare(const Network& net, int batch, int slices, Vec& grad) {
    if (int(m_slices.size()) < slices) m_slices.resize(slices);
    m_parts.resize(slices);
    const int capacity = (batch + slices - 1) / slices;
    for (int s = 0; s < slices; ++s) {
        Slice& slice = m_slices[s];
        slice.ws.reserve(net, capacity);
        if (s > 0 && slice.grad.size() != net.param_count()) slice.grad.resize(net.param_count());
        m_parts[s] = s == 0 ? &grad : &slice.grad;
    }
    if (net.kind() == ModelKind::Autoencoder && m_p_hat.size() != net.code_size())
        m_p_hat.resize(net.code_size());
}

Terms ParallelObjective::evaluate_in_slices(WorkerPool* pool, int slices, const Network& net,
                                            ConstMatRef input, ConstMatRef target,
                                            const Objective& obj, Vec& grad) {
    const int batch = int(input.cols());
    const bool vae = net.kind() == ModelKind::Vae;
    AELAB_CHECK(slices >= 1 && slices <= std::max(1, batch), "slices outside 1 … batch");
    if (pool && pool->size() < slices) pool = nullptr;
    prepare(net, batch, slices, grad);
    AELAB_CHECK(!vae || (m_eps.rows() == net.latent() && m_eps.cols() >= batch),
                "a VAE's ε must be filled through eps() before evaluate()");
    if (slices == 1) {  // the batch whole, on this thread: exactly evaluate_objective
        Workspace& ws = m_slices.front().ws;
        ws.reserve(net, batch);
        if (vae) ws.eps.leftCols(batch) = m_eps.leftCols(batch);
        return evaluate_objective(net, input, target, obj, ws, &grad);
    }
    const auto first = [&](int s) { return WorkerPool::first_item(batch, slices, s); };
    const auto forward_slice = [&](int s) {
        Slice& slice = m_slices[s];
        const int start = first(s), b = first(s + 1) - start;
        if (vae) slice.ws.eps.leftCols(b) = m_eps.middleCols(start, b);
        forward(net, input.middleCols(start, b), slice.ws, /*sample=*/true);
        if (!vae) slice.code_sum.noalias() = slice.ws.act[net.code_layer()].leftCols(b).rowwise().sum();
    };
    const auto finish_slice = [&](int s) {
        Slice& slice = m_slices[s];
        const int start = first(s), b = first(s + 1) - start;
        slice.terms = slice_objective(net, input.middleCols(start, b), target.middleCols(start, b),
                                      obj, slice.ws, m_parts[s], /*sample=*/true,
                                      {batch, &m_p_hat, s == 0});
    };
    const auto batch_p_hat = [&] {
        if (vae) return;
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
