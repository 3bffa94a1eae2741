#pragma once
/// \file
/// `offroi::detail::fast_quantile`: a tabulated inverse cdf, built once per distribution from
/// an exact quantile, an exact cdf and the support, that answers `Q(p)` in a few
/// nanoseconds with a bounded error.
///
/// Layout. A probability p is folded to the smaller tail, v = min(p, 1 - p) (1 - p is exact
/// for p >= 1/2), and each side (p <= 1/2 and p > 1/2) has its own table. The v axis is cut
/// into binades [2^-(j+2), 2^-(j+1)), j = 0 .. K-1, and each binade into M equal cells, so the
/// cell of v is read straight from the exponent and the top mantissa bits of v (no search,
/// no branch, no log). In every cell Q is a polynomial of degree D in the local coordinate
/// s in [-1, 1], interpolating Q at the D+1 Chebyshev-Lobatto points of the cell. Because
/// the cells are geometric towards both ends, a cell never spans more than 1/M of its
/// distance to p = 0 or p = 1, which is where the quantile functions of beta, gamma, PERT
/// and truncated normal are singular (Q ~ c p^(1/alpha) and similar); the same relative
/// accuracy therefore holds in the body and deep in the tails.
///
/// Construction. The node abscissae are found from the cdf, not from the (slow) exact
/// quantile: nodes are visited from p = 1/2 outwards, each starting from a polynomial
/// extrapolation of the previous nodes and refined by secant steps on cdf(x) - v (the
/// survival function on the upper side, so deep upper-tail nodes keep relative accuracy).
/// Typically two cdf calls per node; a node whose iteration misbehaves is taken from the
/// exact quantile instead. The first cell of each side uses the exact quantile.
///
/// Outside the table (v < 2^-(K+1), i.e. p below about 4.4e-16 or within 4.4e-16 of 1 for
/// the defaults) the exact quantile is called: correct, but slow. p = 0 and p = 1 give the
/// support bounds, NaN gives NaN.
///
/// Error (see docs/distributions.md and tests/distributions/fast_quantile_test.cpp): with
/// K = 50, M = 2, D = 9 the measured error against Boost's exact inverse is below 7e-11
/// relative to max(|x|, interquartile range) over the whole tabulated range, for beta
/// shapes from 0.5 to 200, gamma shapes 0.5 to 20 and the normal; the test bound is 1e-9.
/// Construction: 1802 nodes per table, about 2-2.7 cdf calls per node, 20 exact calls.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "offroi/distributions/detail/lobatto_basis.hpp"
#include "offroi/random/detail/simd.hpp"


namespace offroi::detail {

/// A tabulated quantile function (see the file comment). Immutable after construction;
/// copies share the table (`std::shared_ptr<const table>`), so copying is cheap and the
/// object is safe to use from many threads at once.
class fast_quantile {
public:
    /// Number of binades per side: the table covers min(p, 1-p) >= 2^-(binades+1).
    static constexpr int binades = 50;
    /// Cells per binade.
    static constexpr int cells_per_binade = 2;
    /// Polynomial degree per cell.
    static constexpr int degree = 9;
    /// Smallest tail probability min(p, 1-p) answered from the table (2^-51 ~ 4.4e-16).
    static constexpr double table_min_tail = 0x1.0p-51;

    /// Construction statistics, for tests and documentation.
    struct build_stats {
        std::size_t nodes = 0;         ///< interpolation nodes solved
        std::size_t cdf_calls = 0;     ///< calls of the cdf or survival function
        std::size_t exact_calls = 0;   ///< calls of the exact quantile during construction
    };

    /// An empty object; `valid()` is false and calling it is undefined.
    fast_quantile() = default;

    /// Builds the table.
    /// \param quantile            exact Q(p) for p in (0, 1)
    /// \param quantile_complement exact Q(1 - q) for q in (0, 1), accurate for tiny q
    /// \param cdf                 exact F(x)
    /// \param survival            exact 1 - F(x), accurate where F(x) is close to 1
    /// \param lower, upper        the support (may be infinite); Q(0) and Q(1)
    /// The callables must be continuous and strictly increasing (decreasing for the survival
    /// function) on the support; they are kept for the rare fallback to the exact quantile.
    template <class Q, class QC, class F, class S>
    fast_quantile(Q quantile, QC quantile_complement, F cdf, S survival, double lower,
                  double upper)
        : table_(build(std::function<double(double)>(std::move(quantile)),
                       std::function<double(double)>(std::move(quantile_complement)),
                       std::function<double(double)>(std::move(cdf)),
                       std::function<double(double)>(std::move(survival)), lower, upper)) {}

    /// True when the object holds a table.
    bool valid() const noexcept { return static_cast<bool>(table_); }

    /// Q(p) for p in [0, 1] (p = 0 and 1 give the support bounds; NaN gives NaN; other p
    /// outside [0, 1] also give NaN).
    double operator()(double p) const {
        const table& t = *table_;
        if (!(p > 0.0 && p < 1.0)) [[unlikely]]
            return edge(t, p);
        const bool upper_side = p > 0.5;
        double v = upper_side ? 1.0 - p : p;
        v = std::min(v, 0x1.fffffffffffffp-2);
        if (v < table_min_tail) [[unlikely]]
            return upper_side ? t.exact_complement(v) : t.exact(p);
        return eval(t, upper_side, v);
    }

    /// Batch form: x[i] = (*this)(p[i]) for i < n, bit-identical to the scalar form. `p` and
    /// `x` may be the same array. On CPUs with AVX2 (checked at run time) sixteen values are
    /// evaluated at a time (four interleaved groups of four lanes): the same index arithmetic, the same exact s, and the same
    /// Horner steps as separate multiplies and adds in the same order, hence the same bits.
    void operator()(const double* p, double* x, std::size_t n) const {
        batch(p, x, n, cpu_simd_level());
    }

    /// The batch form on a given path (`simd_level`, lowered to `cpu_simd_level()`): every
    /// path gives the scalar form's bits. With AVX2, 16 values a step: four groups of four
    /// lanes whose Horner chains are interleaved.
    void batch(const double* p, double* x, std::size_t n, simd_level level) const {
        const table& t = *table_;
        std::size_t i = 0;
#if OFFROI_SAMPLING_X86
        if (level > cpu_simd_level()) level = cpu_simd_level();
        if (level >= simd_level::avx2) i = batch_avx2(t, p, x, n);
#else
        (void)level;
#endif
        for (; i < n; ++i) x[i] = batch_one(t, p[i]);
    }

    /// The exact quantile the table was built from (slow; for tests and the tails).
    double exact(double p) const { return table_->exact(p); }
    /// The exact Q(1 - q) the table was built from (slow; for tests).
    double exact_complement(double q) const { return table_->exact_complement(q); }

    /// Q(v) (upper_side false) or Q(1 - v) (upper_side true) for a tail probability v in
    /// (0, 1/2], without forming 1 - v: keeps the relative accuracy of v deep in the upper
    /// tail (for example v = Phi(-z) with z = 8), where p = 1 - v would round. From the
    /// table when v >= table_min_tail, else from the exact inverse; v = 0 gives the bound.
    double tail(bool upper_side, double v) const {
        const table& t = *table_;
        if (!(v > 0.0)) return upper_side ? t.upper : t.lower;
        v = std::min(v, 0x1.fffffffffffffp-2);
        if (v < table_min_tail) return upper_side ? t.exact_complement(v) : t.exact(v);
        return eval(t, upper_side, v);
    }

    /// Construction statistics.
    const build_stats& stats() const noexcept { return table_->stats; }

    /// Support bounds given at construction.
    std::pair<double, double> support() const noexcept {
        return {table_->lower, table_->upper};
    }

private:
    static constexpr int ncoef = degree + 1;
    static constexpr int cells_per_side = binades * cells_per_binade;
    static constexpr int mant_shift = 52 - std::countr_zero(unsigned(cells_per_binade));
    static_assert(std::has_single_bit(unsigned(cells_per_binade)));

    struct table {
        std::vector<double> coef;  // [side][binade][cell][ncoef], monomials in s in [-1, 1]
        double lower = 0.0, upper = 0.0;
        std::function<double(double)> exact;             // Q(p)
        std::function<double(double)> exact_complement;  // Q(1 - q)
        build_stats stats;
    };

    std::shared_ptr<const table> table_;

    static double edge(const table& t, double p) noexcept {
        if (p == 0.0) return t.lower;
        if (p == 1.0) return t.upper;
        return std::numeric_limits<double>::quiet_NaN();
    }

    // v in [2^-(binades+1), 1/2): branch-free cell index and Horner evaluation.
    static double eval(const table& t, bool upper_side, double v) noexcept {
        const std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
        const int j = 1021 - static_cast<int>(bits >> 52);
        const std::uint64_t mant = bits & ((std::uint64_t(1) << 52) - 1);
        const int cell = static_cast<int>(mant >> mant_shift);
        const std::uint64_t frac = mant & ((std::uint64_t(1) << mant_shift) - 1);
        // s = 2 * frac / 2^mant_shift - 1, exact conversion (frac < 2^52).
        const double s = static_cast<double>(frac) * std::ldexp(1.0, 1 - mant_shift) - 1.0;
        const std::size_t idx =
            (static_cast<std::size_t>(upper_side) * cells_per_side +
             static_cast<std::size_t>(j) * cells_per_binade + static_cast<std::size_t>(cell)) *
            ncoef;
        const double* c = t.coef.data() + idx;
        double r = c[degree];
        for (int k = degree - 1; k >= 0; --k) r = r * s + c[k];
        return r;
    }

    // One value of the batch form (the scalar path, without re-checking the edges twice).
    double batch_one(const table& t, double pi) const {
        const bool upper_side = pi > 0.5;
        double v = upper_side ? 1.0 - pi : pi;
        v = std::min(v, 0x1.fffffffffffffp-2);
        if (!(v >= table_min_tail)) [[unlikely]]
            return (*this)(pi);
        return eval(t, upper_side, v);
    }

#if OFFROI_SAMPLING_X86
    // `eval` on four lanes: v = min(p, 1 - p) capped below 1/2 as in the scalar form; the
    // cell index from the exponent and top mantissa bits in 64-bit integer lanes; s from the
    // low mantissa bits through the exact 2^52 trick (frac < 2^52, so (2^52 + frac) - 2^52 is
    // the exact conversion), times the same power of two, minus 1; the four coefficient rows loaded and transposed;
    // Horner with a separate multiply and add per step, highest degree first. A group of four
    // with any lane outside the table (tails, p outside (0, 1), NaN) takes the scalar path.
    // Here on G groups of four (p at p[4g..4g+4), all with v >= table_min_tail, checked by
    // `in_table`), the G Horner chains interleaved step by step (one chain's latency would
    // otherwise leave the multipliers idle).
    template <int G>
    __attribute__((target("avx2"), always_inline)) static inline void lanes(
        const table& t, const double* p, double* x) noexcept {
        constexpr int cell_bits = std::countr_zero(unsigned(cells_per_binade));
        const __m256d half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1.0);
        const __m256d vmax = _mm256_set1_pd(0x1.fffffffffffffp-2);
        const __m256d two52 = _mm256_set1_pd(0x1.0p52);
        const __m256d scale = _mm256_set1_pd(std::ldexp(1.0, 1 - mant_shift));
        const __m256i two52_bits = _mm256_set1_epi64x(0x4330000000000000LL);
        const __m256i frac_mask =
            _mm256_set1_epi64x(static_cast<long long>((std::uint64_t(1) << mant_shift) - 1));
        const __m256i cell_mask = _mm256_set1_epi64x(cells_per_binade - 1);
        const __m256i side_off = _mm256_set1_epi64x(cells_per_side);
        const __m256i e_top = _mm256_set1_epi64x(1021);
        const double* c = t.coef.data();
        __m256d s[G], r[G];
        const double* row[G][4];
        for (int g = 0; g < G; ++g) {
            const __m256d pv = _mm256_loadu_pd(p + 4 * g);
            const __m256d up = _mm256_cmp_pd(pv, half, _CMP_GT_OQ);
            __m256d v = _mm256_blendv_pd(pv, _mm256_sub_pd(one, pv), up);
            v = _mm256_min_pd(vmax, v);  // (vmax < v) ? vmax : v, as std::min(v, vmax)
            const __m256i bits = _mm256_castpd_si256(v);
            const __m256i j = _mm256_sub_epi64(e_top, _mm256_srli_epi64(bits, 52));
            const __m256i cell = _mm256_and_si256(_mm256_srli_epi64(bits, mant_shift), cell_mask);
            const __m256i side = _mm256_and_si256(_mm256_castpd_si256(up), side_off);
            const __m256i cidx = _mm256_add_epi64(
                _mm256_add_epi64(side, _mm256_slli_epi64(j, cell_bits)), cell);
            static_assert(ncoef == 10);
            const __m256i idx = _mm256_add_epi64(_mm256_slli_epi64(cidx, 3),
                                                 _mm256_slli_epi64(cidx, 1));  // cidx * 10
            const __m256i frac = _mm256_and_si256(bits, frac_mask);
            const __m256d fd =
                _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(frac, two52_bits)), two52);
            s[g] = _mm256_sub_pd(_mm256_mul_pd(fd, scale), one);
            const __m128i lo = _mm256_castsi256_si128(idx), hi = _mm256_extracti128_si256(idx, 1);
            row[g][0] = c + _mm_cvtsi128_si64(lo);
            row[g][1] = c + _mm_extract_epi64(lo, 1);
            row[g][2] = c + _mm_cvtsi128_si64(hi);
            row[g][3] = c + _mm_extract_epi64(hi, 1);
        }
        // Coefficients b and b + 1 of a group's four rows: [c0 c0 c2 c2] and [c1 c1 c3 c3]
        // from 128-bit broadcasts (load-only) and blends, then one unpack each.
        for (int g = 0; g < G; ++g) {
            __m256d c8, c9;
            coef_pair(row[g], 8, c8, c9);
            r[g] = _mm256_add_pd(_mm256_mul_pd(c9, s[g]), c8);
        }
        for (int b = 6; b >= 0; b -= 2)
            for (int g = 0; g < G; ++g) {
                __m256d cl, ch;
                coef_pair(row[g], b, cl, ch);
                r[g] = _mm256_add_pd(_mm256_mul_pd(r[g], s[g]), ch);
                r[g] = _mm256_add_pd(_mm256_mul_pd(r[g], s[g]), cl);
            }
        for (int g = 0; g < G; ++g) _mm256_storeu_pd(x + 4 * g, r[g]);
    }

    // Coefficients b and b + 1 of four rows, each as a vector over the rows.
    __attribute__((target("avx2"), always_inline)) static inline void coef_pair(
        const double* const* row, int b, __m256d& lo, __m256d& hi) noexcept {
        const __m256d a02 =
            _mm256_blend_pd(_mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[0] + b)),
                            _mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[2] + b)), 0xC);
        const __m256d a13 =
            _mm256_blend_pd(_mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[1] + b)),
                            _mm256_broadcast_pd(reinterpret_cast<const __m128d*>(row[3] + b)), 0xC);
        lo = _mm256_unpacklo_pd(a02, a13);
        hi = _mm256_unpackhi_pd(a02, a13);
    }

    // True when every lane of the 4 G values at p has v = min(p, 1 - p) capped below 1/2 at
    // or above table_min_tail (so no NaN, and p in (0, 1)).
    template <int G>
    __attribute__((target("avx2"), always_inline)) static inline bool in_table(const double* p) noexcept {
        const __m256d half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1.0);
        const __m256d vmax = _mm256_set1_pd(0x1.fffffffffffffp-2);
        const __m256d vmin = _mm256_set1_pd(table_min_tail);
        __m256d all = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
        for (int g = 0; g < G; ++g) {
            const __m256d pv = _mm256_loadu_pd(p + 4 * g);
            const __m256d up = _mm256_cmp_pd(pv, half, _CMP_GT_OQ);
            __m256d v = _mm256_blendv_pd(pv, _mm256_sub_pd(one, pv), up);
            v = _mm256_min_pd(vmax, v);
            all = _mm256_and_pd(all, _mm256_cmp_pd(v, vmin, _CMP_GE_OQ));
        }
        return _mm256_movemask_pd(all) == 0xF;
    }

    // The batch: 16 values a step (four interleaved groups), then 4; a step with any value
    // outside the table (v < table_min_tail, p outside (0, 1), NaN) takes `batch_one` lane by
    // lane. Returns the count done (a multiple of 4).
    __attribute__((target("avx2"))) std::size_t batch_avx2(const table& t, const double* p,
                                                           double* x,
                                                           std::size_t n) const {
        std::size_t i = 0;
        for (; i + 16 <= n; i += 16) {
            if (in_table<4>(p + i)) [[likely]] {
                lanes<4>(t, p + i, x + i);
            } else {
                alignas(32) double pl[16];
                for (int l = 0; l < 16; ++l) pl[l] = p[i + static_cast<std::size_t>(l)];
                for (int l = 0; l < 16; ++l) x[i + static_cast<std::size_t>(l)] = batch_one(t, pl[l]);
            }
        }
        for (; i + 4 <= n; i += 4) {
            if (in_table<1>(p + i)) {
                lanes<1>(t, p + i, x + i);
            } else {
                alignas(32) double pl[4];
                for (int l = 0; l < 4; ++l) pl[l] = p[i + static_cast<std::size_t>(l)];
                for (int l = 0; l < 4; ++l) x[i + static_cast<std::size_t>(l)] = batch_one(t, pl[l]);
            }
        }
        return i;
    }
#endif

    using lobatto = lobatto_basis<degree>;

    static const lobatto& nodes() { return lobatto::instance(); }

    // Value of v at local coordinate s of (binade j, cell c).
    static double node_v(int j, int c, double s) {
        const double t = (c + 0.5 * (s + 1.0)) / cells_per_binade;
        return std::ldexp(1.0 + t, -(j + 2));
    }

    static std::shared_ptr<const table> build(std::function<double(double)> q,
                                              std::function<double(double)> qc,
                                              std::function<double(double)> cdf,
                                              std::function<double(double)> sf, double lower,
                                              double upper) {
        auto t = std::make_shared<table>();
        t->lower = lower;
        t->upper = upper;
        // Exact inverses that cannot fail: if the supplied inverse throws (Boost 1.74's beta
        // inverse throws at the median of some symmetric shapes, e.g. Beta(5, 5) at 0.5),
        // the cdf is inverted by bisection on the ordered bit patterns of doubles.
        q = [q, cdf, lower, upper](double p) {
            try {
                return q(p);
            } catch (const std::exception&) {
                return bisect_inverse(cdf, p, lower, upper, true);
            }
        };
        qc = [qc, sf, lower, upper](double v) {
            try {
                return qc(v);
            } catch (const std::exception&) {
                return bisect_inverse(sf, v, lower, upper, false);
            }
        };
        t->exact = q;
        t->exact_complement = qc;
        t->coef.assign(static_cast<std::size_t>(2 * cells_per_side * ncoef), 0.0);
        const lobatto& L = nodes();
        build_stats side_stats[2];

        // The two sides are independent (each reads only its own nodes and writes only its
        // own half of coef): the upper side is built on a second thread where the machine
        // has one, the lower side here. Same coefficients either way.
        auto build_side = [&](int side) {
            build_stats& st = side_stats[side];
            // Node sequence in decreasing v: (binade j, cell c from M-1 to 0, i from D to 0);
            // the i = 0 point of a cell equals the i = D point of the next cell.
            std::vector<double> vs, xs;
            vs.reserve(static_cast<std::size_t>(cells_per_side * degree + 1));
            for (int j = 0; j < binades; ++j)
                for (int c = cells_per_binade - 1; c >= 0; --c)
                    for (int i = degree; i >= 0; --i) {
                        if (i == degree && !vs.empty()) continue;  // shared with previous
                        vs.push_back(node_v(j, c, L.s[static_cast<std::size_t>(i)]));
                    }
            xs.resize(vs.size());
            const auto& G = side == 0 ? cdf : sf;
            auto exact_at = [&](double v) {
                ++st.exact_calls;
                return side == 0 ? q(v) : qc(v);
            };
            for (std::size_t k = 0; k < vs.size(); ++k) {
                ++st.nodes;
                if (k <= static_cast<std::size_t>(degree)) {
                    xs[k] = exact_at(vs[k]);
                    continue;
                }
                xs[k] = solve_node(G, side, vs, xs, k, lower, upper, st,
                                   [&] { return exact_at(vs[k]); });
            }
            // Coefficients per cell.
            std::size_t k0 = 0;  // index in vs of the cell's i = D point (largest v)
            for (int j = 0; j < binades; ++j)
                for (int c = cells_per_binade - 1; c >= 0; --c) {
                    double* out = t->coef.data() +
                                  (static_cast<std::size_t>(side) * cells_per_side +
                                   static_cast<std::size_t>(j) * cells_per_binade +
                                   static_cast<std::size_t>(c)) * ncoef;
                    for (int kk = 0; kk < ncoef; ++kk) {
                        long double acc = 0.0L;
                        for (int i = 0; i < ncoef; ++i)
                            acc += L.vinv[static_cast<std::size_t>(kk)][static_cast<std::size_t>(i)] *
                                   static_cast<long double>(xs[k0 + static_cast<std::size_t>(degree - i)]);
                        out[kk] = static_cast<double>(acc);
                    }
                    k0 += degree;
                }
        };
        run_sides(build_side);
        for (const build_stats& st : side_stats) {
            t->stats.nodes += st.nodes;
            t->stats.cdf_calls += st.cdf_calls;
            t->stats.exact_calls += st.exact_calls;
        }
        return t;
    }

    // Calls side(0) and side(1): side 1 on a new thread when the machine has more than one
    // hardware thread and one can be started, else both here. An exception of either side
    // is rethrown (side 0's first) after both have finished.
    template <class Side>
    static void run_sides(Side& side) {
        static const bool parallel = std::thread::hardware_concurrency() > 1;
        std::thread upper;
        std::exception_ptr upper_error;
        if (parallel) {
            try {
                upper = std::thread([&] {
                    try {
                        side(1);
                    } catch (...) {
                        upper_error = std::current_exception();
                    }
                });
            } catch (const std::system_error&) {
                // No thread: both sides here.
            }
        }
        std::exception_ptr lower_error;
        try {
            side(0);
        } catch (...) {
            lower_error = std::current_exception();
        }
        if (upper.joinable()) upper.join();
        else if (!lower_error) side(1);
        if (lower_error) std::rethrow_exception(lower_error);
        if (upper_error) std::rethrow_exception(upper_error);
    }

    // Order-preserving map between doubles and unsigned integers (for bisection on bits).
    static std::uint64_t ordered_key(double x) noexcept {
        const std::uint64_t b = std::bit_cast<std::uint64_t>(x);
        return (b >> 63) ? ~b : b | (std::uint64_t(1) << 63);
    }
    static double from_ordered_key(std::uint64_t k) noexcept {
        return std::bit_cast<double>((k >> 63) ? k & ~(std::uint64_t(1) << 63) : ~k);
    }

    // Smallest double x in [lower, upper] with G(x) >= v (increasing G) or G(x) <= v
    // (decreasing G): at most 64 halvings of the ordered bit patterns.
    static double bisect_inverse(const std::function<double(double)>& G, double v, double lower,
                                 double upper, bool increasing) {
        std::uint64_t lo = ordered_key(lower), hi = ordered_key(upper);
        auto reached = [&](double x) { return increasing ? G(x) >= v : G(x) <= v; };
        while (hi - lo > 1) {
            const std::uint64_t mid = lo + (hi - lo) / 2;
            if (reached(from_ordered_key(mid))) hi = mid; else lo = mid;
        }
        return from_ordered_key(hi);
    }

    // Solves G(x) = v for node k (side 0: G = cdf increasing; side 1: G = survival
    // decreasing), starting from an extrapolation of the previous nodes.
    template <class Fallback>
    static double solve_node(const std::function<double(double)>& G, int side,
                             const std::vector<double>& vs, const std::vector<double>& xs,
                             std::size_t k, double lower, double upper, build_stats& st,
                             Fallback fallback) {
        const double v = vs[k];
        // Neville extrapolation through the last m nodes.
        constexpr std::size_t m = 6;
        std::array<long double, m> P{};
        for (std::size_t i = 0; i < m; ++i) P[i] = xs[k - m + i];
        for (std::size_t lev = 1; lev < m; ++lev)
            for (std::size_t i = 0; i + lev < m; ++i) {
                const long double va = vs[k - m + i], vb = vs[k - m + i + lev];
                P[i] = ((v - vb) * P[i] + (va - v) * P[i + 1]) / (va - vb);
            }
        double x0 = static_cast<double>(P[0]);
        const double prev = xs[k - 1];
        // Monotone bracket: Q is increasing in p; on side 0 decreasing v means smaller x,
        // on side 1 decreasing v (p -> 1) means larger x.
        double lo = side == 0 ? lower : prev;
        double hi = side == 0 ? prev : upper;
        // Nodes closer together than the resolution of doubles (e.g. 1 - x below one ulp of
        // 1 far in the upper tail of a bounded support): the node is the bracket end.
        if (lo == hi) return lo;
        double D = (xs[k - 1] - xs[k - 2]) / (vs[k - 1] - vs[k - 2]);  // dx/dv
        x0 = std::clamp(x0, lo, hi);
        if (!std::isfinite(x0) || !std::isfinite(D)) return fallback();
        double r0 = G(x0) - v;
        ++st.cdf_calls;
        if (r0 == 0.0) return x0;
        if (D == 0.0) {
            // Flat extrapolation: step to the bracket end the residual points to.
            D = (side == 0) == (r0 > 0.0) ? (x0 - lo) / r0 : (x0 - hi) / r0;
            if (!std::isfinite(D)) return fallback();
        }
        // Local scale of x for the stopping rule: |x| plus |dx/dlog v|.
        const double scale =
            std::max(std::fabs(x0) + std::fabs(D) * v, std::numeric_limits<double>::min());
        double x1 = std::clamp(x0 - r0 * D, lo, hi);
        double a_prev = std::fabs(x1 - x0) / scale;
        if (a_prev <= 1e-15) return x1;
        for (int it = 0; it < 12; ++it) {
            if (!std::isfinite(x1)) return fallback();
            const double r1 = G(x1) - v;
            ++st.cdf_calls;
            if (r1 == 0.0) return x1;
            // No change of the residual between two distinct abscissae: the abscissae are
            // adjacent doubles or the cdf is flat at double resolution; x1 is as good as any.
            if (r1 == r0) return x1;
            const double x2 = std::clamp(x1 - r1 * (x1 - x0) / (r1 - r0), lo, hi);
            const double a = std::fabs(x2 - x1) / scale;
            if (a <= 1e-15 || a * a_prev * 100.0 <= 1e-17) {
                if (!std::isfinite(x2)) return fallback();
                return x2;
            }
            x0 = x1;
            r0 = r1;
            x1 = x2;
            a_prev = a;
        }
        return fallback();
    }
};

}  // namespace offroi::detail
