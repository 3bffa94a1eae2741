#pragma once
/// \file
/// "Did you mean": the edit distance between names and the closest candidate to a likely
/// typo, shared by the scenario-file reader and `scenario::set` / `arrangement::set`.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace offroi::detail {

/// Optimal-string-alignment edit distance (insertions, deletions, substitutions and
/// transpositions of neighbours cost 1), case-insensitive.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

/// The candidate closest to `word` if it is close enough to be a likely typo: edit
/// distance at most max(2, |word| / 3), or `word` is a prefix/suffix of it (at least 4
/// characters, e.g. "hourly_rate" for "hourly_rate_usd"). Empty if none qualifies.
inline std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::numeric_limits<std::size_t>::max();
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(word, c);
        const bool affix = word.size() >= 4 && c.size() > word.size() &&
                           (c.compare(0, word.size(), word) == 0 ||
                            c.compare(c.size() - word.size(), word.size(), word) == 0);
        if (d > limit && !affix) continue;
        if (affix) d = std::min(d, limit);  // rank affixes with the typos
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

}  // namespace offroi::detail
