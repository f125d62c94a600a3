// Shared Eigen aliases and the one shape notation used across aelab.
// Any thread. Notation: n = input size, m = hidden size, B = samples in a batch;
// a batch is an n×B matrix, one sample per column, float32, column-major.
#pragma once

#include <Eigen/Dense>

namespace aelab {

using Mat = Eigen::MatrixXf;
using Vec = Eigen::VectorXf;
using MatMap = Eigen::Map<Mat>;
using ConstMatMap = Eigen::Map<const Mat>;
using VecMap = Eigen::Map<Vec>;
using ConstVecMap = Eigen::Map<const Vec>;
using MatRef = Eigen::Ref<Mat>;
using ConstMatRef = Eigen::Ref<const Mat>;
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

}  // namespace aelab
