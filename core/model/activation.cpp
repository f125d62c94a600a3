#include "core/model/activation.h"

namespace aelab {

void apply_activation(Activation act, float* data, Eigen::Index count) {
    ArrayMap a(data, count);
    switch (act) {
        case Activation::Sigmoid:
            a = a.logistic();
            break;
        case Activation::Tanh:
            a = a.tanh();
            break;
        case Activation::Relu:
            a = a.max(0.0f);
            break;
        case Activation::Linear:
            break;
    }
}

void apply_activation(Activation act, const float* z, float* out, Eigen::Index count) {
    ConstArrayMap in(z, count);
    ArrayMap a(out, count);
    switch (act) {
        case Activation::Sigmoid:
            a = in.logistic();
            break;
        case Activation::Tanh:
            a = in.tanh();
            break;
        case Activation::Relu:
            a = in.max(0.0f);
            break;
        case Activation::Linear:
            a = in;
            break;
    }
}

void multiply_by_derivative(Activation act, const float* out, float* delta, Eigen::Index count) {
    ConstArrayMap a(out, count);
    ArrayMap d(delta, count);
    switch (act) {
        case Activation::Sigmoid:
            d *= a * (1.0f - a);
            break;
        case Activation::Tanh:
            d *= 1.0f - a.square();
            break;
        case Activation::Relu:
            d = (a > 0.0f).select(d, 0.0f);
            break;
        case Activation::Linear:
            break;
    }
}

void first_and_second_derivative(Activation act, const float* out, float* first, float* second,
                                 Eigen::Index count) {
    ConstArrayMap a(out, count);
    ArrayMap d1(first, count), d2(second, count);
    switch (act) {
        case Activation::Sigmoid:  // σ'' = σ'(1 − 2σ)
            d1 = a * (1.0f - a);
            d2 = d1 * (1.0f - 2.0f * a);
            break;
        case Activation::Tanh:  // tanh'' = −2 tanh · tanh'
            d1 = 1.0f - a.square();
            d2 = -2.0f * a * d1;
            break;
        case Activation::Relu:  // piecewise linear: g'' = 0 away from the kink
            d1 = (a > 0.0f).select(Eigen::ArrayXf::Ones(count), 0.0f);
            d2.setZero();
            break;
        case Activation::Linear:
            d1.setOnes();
            d2.setZero();
            break;
    }
}

}  // namespace aelab
