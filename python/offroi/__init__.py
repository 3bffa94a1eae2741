"""offroi: Monte Carlo models of the return on investment of software-development offshoring.

The heavy lifting happens in the C++ core (``offroi._core``); this package re-exports it and
adds presentation (pandas, plots) and orchestration (Dask). It holds no model logic.
"""
from ._core import (  # noqa: F401
    __version__,
    Cancelled,
    InvalidArgument,
    InvalidScenario,
    NumericalError,
    OffroiError,
    stream_id,
    uniforms,
)
from .assumptions import (  # noqa: F401
    apply_assumptions,
    assumptions_template,
    read_assumptions,
    write_template,
)
from .distributions import (  # noqa: F401
    Distribution,
    bernoulli,
    beta,
    constant,
    discrete,
    empirical,
    gamma,
    lognormal,
    normal,
    pert,
    poisson,
    rank_sensitivity,
    sample,
    scaled,
    sobol_indices,
    tornado,
    triangular,
    truncated_normal,
    uniform,
    weibull,
)
from .model import (  # noqa: F401
    MONTH_FIELDS,
    MONTH_OUTPUTS,
    NEVER_MONTH,
    OUTPUT_ALIASES,
    WATERFALL_BARS,
    BreakevenResult,
    Result,
    Scenario,
    breakeven,
    compare,
    contract_types,
    framings,
    presets,
    simulate,
    sweep,
)
from . import sensitivity  # noqa: F401,E402  (a module: import offroi.sensitivity)
from .labels import arrangement_colours, input_label  # noqa: F401
from .options import OptionChoice, plot_frontier, select_options  # noqa: F401
from .report import report  # noqa: F401,E402  (the function; the module is offroi.report too)
from .staged import StagedDecision, plot_staged_decision, staged_decision  # noqa: F401
from .update import (  # noqa: F401
    PSIS,
    Update,
    plot_update,
    psis,
    update,
    weighted_expected_shortfall,
    weighted_probability,
    weighted_quantile,
    weighted_rank_sensitivity,
    weighted_summary,
)
from .voi import (  # noqa: F401
    VOI,
    Estimate,
    EVPPIEstimate,
    decision_curve,
    decision_curves,
    decision_summary,
    evpi,
    evppi,
    plot_acceptability,
    plot_evpi_curve,
    plot_evppi,
    voi,
)
