import numpy as np
import pytest

import offroi


def test_stream_id_matches_cpp_golden_value():
    # Same golden value as tests/random/philox_test.cpp.
    assert offroi.stream_id("offshore_rate") == 0x6DA2BF7ACEE4F4EA


def test_uniforms_are_pure_functions_of_the_counter():
    a = offroi.uniforms(42, "x", 0, 1000)
    assert a.dtype == np.float64 and a.shape == (1000,)
    assert np.all((a > 0) & (a < 1))
    b = offroi.uniforms(42, "x", 500, 500)
    np.testing.assert_array_equal(a[500:], b)  # bitwise: any split gives the same draws
    assert not np.array_equal(a, offroi.uniforms(43, "x", 0, 1000))
    # Mean of U(0,1) within 5 standard errors.
    n = 200_000
    u = offroi.uniforms(7, "chi", 0, n)
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / n)


def test_errors_are_value_errors():
    assert issubclass(offroi.InvalidArgument, ValueError)
    assert issubclass(offroi.InvalidScenario, ValueError)
