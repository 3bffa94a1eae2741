#pragma once
/// \file
/// The Chebyshev-Lobatto interpolation basis shared by the tabulated inverse cdfs
/// (`fast_quantile`, `normal_quantile_table`): nodes s_i = -cos(pi i / D) rounded to double
/// (s_{D/2} = 0 exactly) and the inverse of their Vandermonde matrix in long double, so the
/// monomial coefficients of a cell's interpolant are `vinv * values`.

#include <array>
#include <cmath>
#include <utility>

namespace offroi::detail {

/// Chebyshev-Lobatto points s_i = -cos(pi i / D), i = 0..D, and the inverse of their
/// Vandermonde matrix (computed in long double), so coefficients = vinv * values.
template <int Degree>
struct lobatto_basis {
    static constexpr int degree = Degree;     ///< polynomial degree D
    static constexpr int ncoef = Degree + 1;  ///< coefficients per cell
    std::array<double, ncoef> s{};
    std::array<std::array<long double, ncoef>, ncoef> vinv{};
    lobatto_basis() {
        const long double pi = 3.141592653589793238462643383279502884L;
        std::array<long double, ncoef> sl{};
        for (int i = 0; i < ncoef; ++i) {
            sl[i] = -std::cos(pi * i / degree);
            if (2 * i == degree) sl[i] = 0.0L;
            s[i] = static_cast<double>(sl[i]);
            sl[i] = s[i];  // interpolate at the points actually used
        }
        // Gauss-Jordan on [V | I].
        std::array<std::array<long double, 2 * ncoef>, ncoef> a{};
        for (int i = 0; i < ncoef; ++i) {
            long double pw = 1.0L;
            for (int k = 0; k < ncoef; ++k) {
                a[i][k] = pw;
                pw *= sl[i];
            }
            a[i][ncoef + i] = 1.0L;
        }
        for (int col = 0; col < ncoef; ++col) {
            int piv = col;
            for (int r = col + 1; r < ncoef; ++r)
                if (std::fabs(a[r][col]) > std::fabs(a[piv][col])) piv = r;
            std::swap(a[piv], a[col]);
            const long double d = a[col][col];
            for (auto& e : a[col]) e /= d;
            for (int r = 0; r < ncoef; ++r) {
                if (r == col) continue;
                const long double f = a[r][col];
                if (f == 0.0L) continue;
                for (int k = 0; k < 2 * ncoef; ++k) a[r][k] -= f * a[col][k];
            }
        }
        // a = [I | V^-1]; coefficient k = sum_i V^-1[k][i] * y_i.
        for (int k = 0; k < ncoef; ++k)
            for (int i = 0; i < ncoef; ++i) vinv[k][i] = a[k][ncoef + i];
    }

    /// The basis of degree `Degree`, built once per process.
    static const lobatto_basis& instance() {
        static const lobatto_basis b;
        return b;
    }
};

}  // namespace offroi::detail
