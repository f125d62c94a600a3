#include "core/run/run_history.h"

namespace aelab {

void record_train_step(History& history, int64_t step, const Terms& terms) {
    const double x = double(step);
    history.train.add(x, float(terms.total()));
    const double values[kTermCount] = {terms.recon, terms.l2, terms.sparsity, terms.contractive,
                                       terms.kl};
    for (int t = 0; t < kTermCount; ++t) history.train_terms[t].add(x, float(values[t]));
}

TestPoint evaluate_test_point(Session& session) {
    // The test curve measures what the train curve measures (the objective as trained, input
    // noise included); with noise on, the clean-input objective gets a line of its own.
    EvaluationOptions options = session.as_trained(Session::kTestSubset);
    options.mse = false;  // the curves show the objective only
    TestPoint point;
    point.terms = session.evaluate_test(options).terms;
    if (session.config().knobs.noise != NoiseKind::None) {
        options.noise = NoiseKind::None;
        point.clean = session.evaluate_test(options).terms.total();
    }
    return point;
}

TestPoint record_test_point(Session& session, History& history) {
    const double step = double(session.step());
    const TestPoint point = evaluate_test_point(session);
    history.test.add(step, float(point.terms.total()));
    if (point.clean) history.test_clean.add(step, float(*point.clean));
    const ProbeJacobians j = session.probe_jacobians();
    history.probe_jacobian.add(step, float(j.first_layer));
    history.probe_code_jacobian.add(step, float(j.code));
    return point;
}

}  // namespace aelab
