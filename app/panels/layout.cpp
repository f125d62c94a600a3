#include "app/panels/layout.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace layout {

namespace {

// A slicing of a run of panels: a leaf is one panel; a split puts its two parts side by side
// (across) or one above the other.
struct Node {
    int panel = -1;
    bool across = false;
    int first = -1, second = -1;
    ImVec2 min;
    float weight = 0;
};

// Every slicing of every run [i, j) of the panels, each once: a split's second part is never
// split in the split's own direction (a row of three is row(row(a, b), c), not also
// row(a, row(b, c))).
class Slicings {
public:
    explicit Slicings(const std::vector<Need>& needs) : m_needs(needs) {}

    const std::vector<int>& over(int i, int j) {
        const auto key = std::make_pair(i, j);
        if (auto it = m_roots.find(key); it != m_roots.end()) return it->second;
        std::vector<int> roots;
        if (j - i == 1) {
            roots.push_back(add({i, false, -1, -1, m_needs[i].min, m_needs[i].weight}));
        } else {
            for (int k = i + 1; k < j; ++k)
                for (bool across : {true, false})
                    for (int a : over(i, k))
                        for (int b : over(k, j)) {
                            const Node& second = m_nodes[size_t(b)];
                            if (second.panel < 0 && second.across == across) continue;
                            roots.push_back(split(across, a, b));
                        }
        }
        return m_roots[key] = std::move(roots);
    }
    const Node& node(int n) const { return m_nodes[size_t(n)]; }

private:
    int add(const Node& n) {
        m_nodes.push_back(n);
        return int(m_nodes.size()) - 1;
    }
    int split(bool across, int a, int b) {
        const Node &na = m_nodes[size_t(a)], &nb = m_nodes[size_t(b)];
        const ImVec2 min = across ? ImVec2(na.min.x + nb.min.x, std::max(na.min.y, nb.min.y))
                                  : ImVec2(std::max(na.min.x, nb.min.x), na.min.y + nb.min.y);
        return add({-1, across, a, b, min, na.weight + nb.weight});
    }

    const std::vector<Need>& m_needs;
    std::vector<Node> m_nodes;
    std::map<std::pair<int, int>, std::vector<int>> m_roots;
};

// The first part's share of `length`: its minimum and its weight's part of what is left over,
// or, when the two minimums do not fit, its minimum's share of the length.
float first_share(float length, float min_a, float min_b, float weight_a, float weight_b) {
    const float extra = length - min_a - min_b;
    if (extra >= 0)
        return std::round(min_a + extra * weight_a / std::max(weight_a + weight_b, 1e-6f));
    return std::round(length * min_a / std::max(min_a + min_b, 1e-6f));
}

void place(const Slicings& s, int n, Box box, std::vector<Box>& out) {
    const Node& node = s.node(n);
    if (node.panel >= 0) {
        out[size_t(node.panel)] = box;
        return;
    }
    const Node &a = s.node(node.first), &b = s.node(node.second);
    Box first = box, second = box;
    if (node.across) {
        first.size.x = first_share(box.size.x, a.min.x, b.min.x, a.weight, b.weight);
        second.pos.x += first.size.x;
        second.size.x -= first.size.x;
    } else {
        first.size.y = first_share(box.size.y, a.min.y, b.min.y, a.weight, b.weight);
        second.pos.y += first.size.y;
        second.size.y -= first.size.y;
    }
    place(s, node.first, first, out);
    place(s, node.second, second, out);
}

// Larger is better: every panel served (≥ 1) first; then, among those that serve them all, the
// most (weighted) served; among those that do not, the best-served worst panel.
struct Score {
    bool all_fit = false;
    float worst = 0, total = 0;
    bool operator>(const Score& o) const {
        if (all_fit != o.all_fit) return all_fit;
        if (!all_fit && worst != o.worst) return worst > o.worst;
        return total > o.total;
    }
};

Score score(const std::vector<Need>& needs, const std::vector<Box>& boxes) {
    Score sc;
    sc.worst = std::numeric_limits<float>::max();
    for (size_t i = 0; i < needs.size(); ++i) {
        const float f = served(needs[i], boxes[i]);
        sc.worst = std::min(sc.worst, f);
        sc.total += needs[i].weight * std::log(std::max(f, 1e-3f));
    }
    sc.all_fit = sc.worst >= 0.999f;
    return sc;
}

// Many panels: rows of up to three in order, a shorter last row widening its panels.
std::vector<Box> rows(size_t count, Box area) {
    std::vector<Box> out(count);
    const int k = int(count), cols = k <= 3 ? std::max(k, 1) : (k == 4 ? 2 : 3);
    const int row_count = (k + cols - 1) / cols;
    const float h = std::floor(area.size.y / float(row_count));
    for (int r = 0; r < row_count; ++r) {
        const int in_row = std::min(cols, k - r * cols);
        const float w = std::floor(area.size.x / float(in_row));
        for (int c = 0; c < in_row; ++c)
            out[size_t(r * cols + c)] = {ImVec2(area.pos.x + c * w, area.pos.y + r * h),
                                         ImVec2(c + 1 == in_row ? area.size.x - c * w : w,
                                                r + 1 == row_count ? area.size.y - r * h : h)};
    }
    return out;
}

}  // namespace

float served(const Need& need, const Box& box) {
    return std::min(box.size.x / std::max(need.min.x, 1.0f),
                    box.size.y / std::max(need.min.y, 1.0f));
}

std::vector<Box> arrange(const std::vector<Need>& needs, Box area) {
    if (needs.empty()) return {};
    if (needs.size() > size_t(kMostArranged)) return rows(needs.size(), area);
    // The panels in their order; then with the last one (the lesson's text) moved to each
    // other place, so it may share a column with any of them. The first best one wins.
    const int n = int(needs.size());
    std::vector<Box> best, boxes(needs.size()), in_order(needs.size());
    Score best_score;
    for (int moved_to = n - 1; moved_to >= 0; --moved_to) {
        std::vector<int> order;  // order[k]: the panel at place k
        for (int i = 0; i < n - 1; ++i) order.push_back(i);
        order.insert(order.begin() + moved_to, n - 1);
        std::vector<Need> ordered;
        for (int i : order) ordered.push_back(needs[size_t(i)]);
        Slicings slicings(ordered);
        for (int root : slicings.over(0, n)) {
            place(slicings, root, area, boxes);
            const Score sc = score(ordered, boxes);
            if (!best.empty() && !(sc > best_score)) continue;
            for (int k = 0; k < n; ++k) in_order[size_t(order[size_t(k)])] = boxes[size_t(k)];
            best = in_order;
            best_score = sc;
        }
    }
    return best;
}

}  // namespace layout
