"""Writes notebooks/*.ipynb from the cell sources below and executes them (nbclient, kernel
python3 of /usr/bin/python3), saving the outputs. Run: PYTHONPATH=<build>/python python3 make_notebooks.py"""
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"

SETUP = """%matplotlib inline
import json
import os
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter
import offroi
import offroi.plot as oplot

# Trials per run: small in the test suite (OFFROI_NOTEBOOK_TRIALS), full size otherwise.
TRIALS = int(os.environ.get("OFFROI_NOTEBOOK_TRIALS", "100000"))
SCENARIOS = os.path.join("..", "bench", "scenarios")
pd.set_option("display.float_format", lambda v: f"{v:,.3f}")
pd.set_option("display.width", 160)


def usd(v):
    \"\"\"A dollar amount as $1.23M or $456k.\"\"\"
    a, sign = abs(v), "-" if v < 0 else ""
    return f"{sign}${a / 1e6:,.2f}M" if a >= 1e6 else f"{sign}${a / 1e3:,.0f}k\""""

NOTEBOOKS = {
    "01-quickstart": [
        ("md", "# Quickstart: should we grow with an offshore team?\n\n"
               "The built-in default scenario asks whether a software organisation should deliver a new product's backlog "
               "with engineers from **local hiring** or with a **dedicated offshore team** from a vendor. It uses the "
               "*project* framing: each team's spend stops when the backlog is delivered, every month the backlog is not "
               "yet delivered costs the business its cost of delay, and work not finished at the horizon runs on at the "
               "team's last monthly rate until it is delivered.\n\n"
               "Every input is a distribution. offroi simulates both teams on the same draws and reports the offshore "
               "team's *net benefit*: the present value of what local hiring costs (spend and cost of delay) minus what "
               "the offshore team costs. Positive means the offshore team is the cheaper way to get the backlog done."),
        ("code", SETUP),
        ("code", "scenario = offroi.Scenario.default()\n"
                 "print(scenario.name, '| framing:', scenario.framing, '| horizon:', scenario.horizon_months, 'months',\n"
                 "      '| discount rate:', scenario.annual_discount_rate)\n"
                 "print('baseline:', scenario.baseline, '| alternatives:', scenario.alternatives)\n"
                 "for name in ['backlog_engineer_months', 'cost_of_delay_per_month_usd',\n"
                 "             'local_hiring.headcount', 'local_hiring.hourly_rate_usd', 'local_hiring.overhead_loading',\n"
                 "             'offshore_team.headcount', 'offshore_team.hourly_rate_usd']:\n"
                 "    d = scenario.get(name)\n"
                 "    print(f'  {name:34s} {d.describe():32s} mean {d.mean():,.1f}')"),
        ("md", "The in-house rate is pay per paid hour; the overhead loading (benefits and overhead) turns it into the "
               "full cost of an hour. Vendor rates are bill rates.\n\n"
               "## Simulate\n"
               "One call runs the C++ engine on all cores (same seed, same bits whatever the thread count). "
               "`progress=True` shows a bar; Ctrl-C cancels cleanly. `decision()` gathers what a decision needs in one row "
               "per alternative."),
        ("code", "result = offroi.simulate(scenario, trials=TRIALS, seed=2024)\nresult.decision().T"),
        ("md", "How to read the rows:\n\n"
               "* **mean, se, p10, p50, p90**: the net benefit in USD (present value), its Monte Carlo standard error and "
               "percentiles.\n"
               "* **prob_loss, expected_shortfall_loss**: the chance the offshore team costs more, and the mean loss in the worst "
               "5% of trials.\n"
               "* **net_saving_p50**: the median saving on spend, as a share of local hiring's spend.\n"
               "* **prob_delivered** (and **baseline_prob_delivered**): the chance the backlog is delivered within the horizon.\n"
               "* **prob_breakeven, breakeven_month_p50**: cash break-even, the first month from which the cumulative "
               "discounted net benefit stays at or above zero.\n"
               "* **prob_parity, parity_month_p50**: cost parity, the first month from which the offshore team's "
               "trailing-year cost per useful engineer-month stays at or below local hiring's (+inf: never)."),
        ("code", "print(f\"P(loss) = {result.prob_loss():.1%}, expected shortfall = {usd(result.expected_shortfall())}\")\n"
                 "print(f\"P(delivered within {result.horizon_months} months): offshore {result.prob_delivered():.1%}, \"\n"
                 "      f\"local hiring {result.prob_delivered(result.baseline):.1%}\")\n"
                 "result.quantiles([0.05, 0.25, 0.5, 0.75, 0.95])"),
        ("md", "## The distribution of the net benefit"),
        ("code", "oplot.histogram(result);"),
        ("md", "## Where does the benefit come from?\n"
               "Eight additive bars explain the mean net benefit: the **rate gap** (the offshore hours priced at local "
               "hiring's rate, minus what they cost), then **volume** (more or fewer useful hours to do the work), "
               "**transition**, **quality**, **management**, **talent access** (hiring, and the delay that vacancies "
               "cause), **delivery** (the rest of the cost of delay: the delay the team would have with every seat "
               "filled) and **risk events**. They add up to the net benefit in every trial, so their means add up to the mean "
               "(the plot checks it)."),
        ("code", "display(result.breakdown())\noplot.waterfall(result);"),
        ("md", "## When does it pay back?\n"
               "The cumulative distribution of the break-even and parity months. A trial that never breaks even is not a "
               "month: those trials are left out, so a curve ends at P(ever) and the legend gives P(never). Months beyond "
               "the horizon (shaded) are extrapolated at the last month's run rates. The table keeps \"never\" apart too: "
               "the share of trials in which it happens within the horizon, later, or never, and the months over the "
               "trials in which it happens within the horizon."),
        ("code", "fig, axes = plt.subplots(2, 1, figsize=(10, 8), layout='constrained')\n"
                 "oplot.months_cdf(result, 'breakeven_month', ax=axes[0])\n"
                 "oplot.months_cdf(result, 'parity_month', ax=axes[1])\n"
                 "result.summary('breakeven_month')[['prob_within_horizon', 'prob_beyond_horizon', 'prob_never', 'p10', "
                 "'p50', 'p90']]"),
        ("md", "## Samples are numpy views\n`samples()` hands out the C++ result's memory without copying."),
        ("code", "nb = result.samples()['offshore_team.net_benefit']\nprint(nb.shape, nb.dtype, 'owns data:', nb.flags.owndata)"),
        ("md", "## Reading the result\nThe sentences below are computed from the run above."),
        ("code", "d = result.decision().loc['offshore_team']\n"
                 "c = result.components()\n"
                 "bars = c.iloc[:-1]\n"
                 "costs = bars[bars < 0]\n"
                 "print(f\"Mean net benefit {usd(d['mean'])} (P10 {usd(d['p10'])}, P90 {usd(d['p90'])}); \"\n"
                 "      f\"the offshore team is cheaper in {1 - d['prob_loss']:.0%} of trials.\")\n"
                 "print(f\"The rate gap is worth {usd(c['rate gap'])}; the bars that cost money take back {usd(-costs.sum())} \"\n"
                 "      f\"({-costs.sum() / c['rate gap']:.0%} of it), the largest being '{costs.idxmin()}' ({usd(costs.min())}).\")\n"
                 "gain = bars[(bars > 0) & (bars.index != 'rate gap')]\n"
                 "if len(gain):\n"
                 "    print(f\"Besides the rate gap, '{gain.idxmax()}' adds {usd(gain.max())}.\")\n"
                 "slower = d['prob_delivered'] < d['baseline_prob_delivered']\n"
                 "print(f\"The offshore team delivers within the horizon {'less' if slower else 'more'} often than local hiring \"\n"
                 "      f\"({d['prob_delivered']:.0%} against {d['baseline_prob_delivered']:.0%}).\")\n"
                 "print(f\"Median cash break-even: month {d['breakeven_month_p50']:g}; it happens within the horizon in \"\n"
                 "      f\"{d['prob_breakeven']:.0%} of trials.\")"),
        ("md", "**Decision:** read the rate gap and the bars that take it back together: the offshore team's case rests "
               "on its rate gap surviving the volume, quality, management, transition and delivery costs it brings. The "
               "next notebooks test which assumptions that conclusion depends on: the sourcing model (02), the inputs "
               "that drive the result (03), the vendor's rate and capability (04) and the buyer's leadership (05)."),
    ],
    "02-compare-sourcing-models": [
        ("md", "# Comparing sourcing models\n\n"
               "In-house hiring against the five external models (outsourcing, offshore team, nearshore, staff "
               "augmentation, hybrid), each with its evidence-based preset and its contract: outsourcing is a fixed "
               "price for a defined scope, staff augmentation bills hours of engineers working in the buyer's team, the "
               "others are time and materials. All arrangements see the *same draws* of the shared inputs in each trial "
               "(common random numbers), so differences are sharp."),
        ("code", SETUP),
        ("code", "models = [m for m in offroi.presets() if m != 'in_house']\n"
                 "scenario = offroi.Scenario.from_presets(models)\n"
                 "print('framing:', scenario.framing)\n"
                 "print({a: scenario.contract(a) for a in scenario.alternatives})\n"
                 "result = offroi.simulate(scenario, trials=TRIALS, seed=7)\n"
                 "project = result.decision().sort_values('mean', ascending=False)\n"
                 "project"),
        ("code", "oplot.cdf(result);"),
        ("md", "## Pairwise comparison\n`compare` reports for every pair the mean difference of net benefit with its "
               "standard error and the share of trials where the first is better."),
        ("code", "pairs = offroi.compare(scenario, trials=TRIALS, seed=7)\n"
                 "pairs[pairs['a'] != 'in_house'].sort_values('prob_a_better', ascending=False).head(10)"),
        ("md", "## Why the best and the worst differ\nThe eight bars of the best and the worst model by mean net benefit."),
        ("code", "best, worst = project.index[0], project.index[-1]\n"
                 "fig, axes = plt.subplots(1, 2, figsize=(15, 4.5), layout='constrained')\n"
                 "oplot.waterfall(result, best, ax=axes[0])\n"
                 "oplot.waterfall(result, worst, ax=axes[1])\n"
                 "pd.concat([result.components(a) for a in project.index], axis=1)"),
        ("md", "## The same models as an ongoing team\n"
               "The *capacity* framing compares the arrangements as a standing team over the whole horizon, at equal "
               "useful output: an arrangement that produces less useful work is charged for the gap at the baseline's "
               "cost per useful engineer-month. There is no backlog, so no cost of delay and no delivery date. A fixed "
               "price needs a defined scope, so under this framing outsourcing is contracted on time and materials."),
        ("code", "capacity = offroi.Scenario.from_presets(models, framing='capacity')\n"
                 "capacity.set_contract('outsourcing', 'time_and_materials')\n"
                 "cap = offroi.simulate(capacity, trials=TRIALS, seed=7).decision()\n"
                 "cap.sort_values('mean', ascending=False)[['mean', 'se', 'p10', 'p50', 'p90', 'prob_loss', 'net_saving_p50',\n"
                 "                                           'prob_breakeven', 'prob_parity']]"),
        ("md", "## Reading the result\nComputed from the two runs above."),
        ("code", "rank = pd.DataFrame({'project rank': project['mean'].rank(ascending=False).astype(int),\n"
                 "                     'capacity rank': cap['mean'].rank(ascending=False).astype(int),\n"
                 "                     'project P(loss)': project['prob_loss'], 'capacity P(loss)': cap['prob_loss']})\n"
                 "display(rank.sort_values('project rank'))\n"
                 "safest = project['prob_loss'].idxmin()\n"
                 "print(f\"Project: the highest mean net benefit is {best} ({usd(project.loc[best, 'mean'])}), \"\n"
                 "      f\"the lowest P(loss) {safest} ({project.loc[safest, 'prob_loss']:.1%}); {worst} is last \"\n"
                 "      f\"({usd(project.loc[worst, 'mean'])}, P(loss) {project.loc[worst, 'prob_loss']:.1%}).\")\n"
                 "late = project['prob_delivered'].idxmin()\n"
                 "print(f\"The least likely to deliver within the horizon is {late} ({project.loc[late, 'prob_delivered']:.0%}, \"\n"
                 "      f\"in-house {project.loc[late, 'baseline_prob_delivered']:.0%}).\")\n"
                 "cbest = cap['mean'].idxmax()\n"
                 "print(f\"Capacity: the highest mean net benefit is {cbest} ({usd(cap.loc[cbest, 'mean'])}); \"\n"
                 "      f\"the ranking {'is the same' if (rank['project rank'] == rank['capacity rank']).all() else 'changes'} \"\n"
                 "      f\"between the framings.\")"),
        ("md", "**Decision:** rank the models by mean net benefit *and* by P(loss) and P(delivered): a model with a high "
               "mean but a fat left tail, or one that often misses the horizon, may not be the one a risk-averse buyer "
               "wants. Say which question is being asked: delivering a defined backlog (project) and running a standing "
               "team (capacity) weigh speed and output differently, and the table above shows whether that changes "
               "the order."),
    ],
    "03-what-drives-roi": [
        ("md", "# What drives the ROI?\n\nBefore negotiating rates, find out which uncertain inputs actually move the "
               "outcome. Three lenses: a one-at-a-time tornado, rank correlations from a simulation, and variance-based "
               "Sobol' indices (which also see interactions)."),
        ("code", SETUP),
        ("code", "scenario = offroi.Scenario.default()\nevent_trials = 256 if TRIALS >= 50000 else 32\n"
                 "tornado = offroi.sensitivity.tornado(scenario, event_trials=event_trials)\ntornado.head(8)"),
        ("code", "oplot.tornado(tornado, top=10);"),
        ("md", "## Rank correlations from the simulation"),
        ("code", "ranks = offroi.sensitivity.rank(scenario, trials=min(TRIALS, 20000), seed=1)\nranks.head(8)"),
        ("md", "## Sobol' indices\nFirst-order S_i: the share of variance explained by input i alone; total ST_i: "
               "including its interactions."),
        ("code", "n = 512 if TRIALS >= 50000 else 64\nsobol = offroi.sensitivity.sobol(scenario, n=n, event_trials=16, bootstrap=0)\n"
                 "sobol.sort_values('total_order', ascending=False).head(8)"),
        ("code", "top = sobol.sort_values('total_order', ascending=False).head(8)\n"
                 "ax = top[['first_order', 'total_order']].plot.barh(figsize=(8, 4.5))\n"
                 "ax.invert_yaxis(); ax.set_xlabel('Sobol index');"),
        ("md", "## Reading the result\nComputed from the three lenses above."),
        ("code", "t3 = list(tornado.index[:3])\ns3 = list(sobol.sort_values('total_order', ascending=False).index[:3])\n"
                 "r3 = list(ranks.index[:3])\n"
                 "print('largest tornado swings:   ', ', '.join(t3))\n"
                 "print('largest Sobol total order:', ', '.join(s3))\n"
                 "print('largest rank correlations:', ', '.join(r3))\n"
                 "common = [x for x in s3 if x in t3 or x in r3]\n"
                 "print('named by more than one lens:', ', '.join(common) if common else 'none')\n"
                 "for name in dict.fromkeys(t3 + s3):\n"
                 "    if name in tornado.index:\n"
                 "        up = tornado.loc[name, 'output_at_high'] > tornado.loc[name, 'output_at_low']\n"
                 "        print(f\"raising {name} from its P10 to its P90 {'raises' if up else 'lowers'} the expected net benefit by \"\n"
                 "              f\"{usd(abs(tornado.loc[name, 'output_at_high'] - tornado.loc[name, 'output_at_low']))}\")"),
        ("md", "**Decision:** spend the effort of pinning down inputs where the lenses agree that they matter (printed "
               "above), before haggling over inputs that move the net benefit little. Inputs with a total Sobol' index "
               "well above their first-order index act through interactions: their effect depends on the others."),
    ],
    "04-vendor-tier-and-rates": [
        ("md", "# Vendor tier and rates: is the cheapest vendor the cheapest choice?\n\n"
               "Offshore rates range widely, and the article claims the lowest-rate vendors often cost more in the end "
               "because rework, management load and failure risk grow as quality falls. In offroi the vendor's "
               "*capability tier follows its rate*: the tier is the position of the all-in rate in its labour market's "
               "band (on a log scale, from the band's bottom to its top), shifted by an uncertain capability premium "
               "(what the rate buys is not certain) and kept in [0, 1]. Tier 0 is COCOMO II's *very low* programmer and "
               "analyst capability, 0.5 *nominal*, 1 *very high*. A higher tier means more useful output per billed hour "
               "(COCOMO PCAP) and less rework (ACAP), hence faster delivery."),
        ("code", SETUP),
        ("code", "scenario = offroi.Scenario.default()\nalt, base = scenario.alternatives[0], scenario.baseline\n"
                 "low = scenario.get(f'{alt}.market_rate_low_usd').mean()\nhigh = scenario.get(f'{alt}.market_rate_high_usd').mean()\n"
                 "print(f\"{alt}: rate {scenario.get(f'{alt}.hourly_rate_usd').describe()} USD/h; offshore band ${low:g}-${high:g}/h; \"\n"
                 "      f\"capability premium {scenario.get(f'{alt}.capability_premium').describe()}\")\n"
                 "print(f\"{base}: pay {scenario.get(f'{base}.hourly_rate_usd').describe()} USD/h x overhead loading \"\n"
                 "      f\"{scenario.get(f'{base}.overhead_loading').describe()}; onshore band \"\n"
                 "      f\"${scenario.get(f'{base}.market_rate_low_usd').mean():g}-${scenario.get(f'{base}.market_rate_high_usd').mean():g}/h\")"),
        ("md", "## Sweep the offshore rate\n"
               "Set the offshore team's rate to each value in turn (all else as the default scenario, same seed: common "
               "random numbers), from below the offshore band to well above it."),
        ("code", "rates = [15, 18, 22, 26, 30, 35, 40, 45, 50, 55, 60, 70, 80, 100]\n"
                 "sw = offroi.sweep(scenario, f'{alt}.hourly_rate_usd', rates, trials=TRIALS, seed=11)\n"
                 "sw[['value', 'mean', 'se', 'p10', 'p50', 'p90', 'prob_loss', 'prob_delivered', 'prob_breakeven']]"),
        ("code", "fig = oplot.fan(sw, xlabel=f'{alt} hourly rate (USD, set to a constant)', mean=True)\n"
                 "ax = fig.axes[0]\nax.axvspan(low, high, color='0.88', zorder=0, label='offshore labour-market band')\nax.legend();"),
        ("md", "## Where is the optimum?\nThe rate with the highest mean net benefit, and the rates whose mean is within "
               "two standard errors of it (the errors taken as independent: a conservative band)."),
        ("code", "d = sw.set_index('value')\nbest = d['mean'].idxmax()\n"
                 "near = [v for v in d.index if d.loc[v, 'mean'] >= d.loc[best, 'mean'] - 2 * np.hypot(d.loc[v, 'se'], d.loc[best, 'se'])]\n"
                 "print(f\"highest mean net benefit at ${best:g}/h: {usd(d.loc[best, 'mean'])} +- {usd(2 * d.loc[best, 'se'])} (2 SE), \"\n"
                 "      f\"P(loss) {d.loc[best, 'prob_loss']:.1%}, P(delivered) {d.loc[best, 'prob_delivered']:.1%}\")\n"
                 "print('rates within 2 SE of the best:', ', '.join(f'${v:g}' for v in near))\n"
                 "if rates[0] < best < rates[-1]:\n"
                 "    where = 'at' if best == high else ('below' if best < high else 'above')\n"
                 "    print(f'on this grid the optimum lies inside the swept range, {where} the top of the offshore band (${high:g}/h)')\n"
                 "else:\n"
                 "    print('no optimum inside the swept range: the best rate is at its edge')\n"
                 "mode = scenario.get(f'{alt}.hourly_rate_usd').ppf([0.5])[0]\n"
                 "closest = min(rates, key=lambda v: abs(v - mode))\n"
                 "print(f\"for comparison, at ${closest:g}/h (near the preset's median rate) the mean is {usd(d.loc[closest, 'mean'])}, \"\n"
                 "      f\"P(loss) {d.loc[closest, 'prob_loss']:.1%}\")"),
        ("md", "## The mechanism\nThe same rates run one by one with every output kept: the capability tier the rate "
               "buys, the rework share, the useful output, the delivery month and the eight bars of the net benefit."),
        ("code", "rows = []\nfor r in rates:\n    s = scenario.copy()\n    s.set(f'{alt}.hourly_rate_usd', offroi.constant(r))\n"
                 "    res = offroi.simulate(s, trials=TRIALS, seed=11, all_outputs=True, keep_samples=False)\n"
                 "    row = {'rate': r}\n"
                 "    for f in ['capability_tier', 'rework_share', 'useful_engineer_months', 'delivery_month']:\n"
                 "        row[f] = res.summary(f).loc[alt, 'mean']\n"
                 "    row['prob_delivered'] = res.prob_delivered(alt)\n"
                 "    row.update(res.components(alt).to_dict())\n"
                 "    rows.append(row)\n"
                 "mech = pd.DataFrame(rows).set_index('rate')\n"
                 "assert np.allclose(mech['net benefit'], d['mean'], rtol=1e-9)  # the same draws as the sweep\n"
                 "mech[['capability_tier', 'rework_share', 'useful_engineer_months', 'delivery_month', 'prob_delivered', 'net benefit']]"),
        ("code", "labels = [label for _, label in offroi.WATERFALL_BARS]\n"
                 "fig, ax = plt.subplots(figsize=(10, 5), layout='constrained')\n"
                 "for lbl in labels:\n    ax.plot(mech.index, mech[lbl], marker='o', ms=3, label=lbl)\n"
                 "ax.plot(mech.index, mech['net benefit'], 'k-', lw=2.5, label='net benefit')\n"
                 "ax.axvspan(low, high, color='0.88', zorder=0)\nax.axhline(0, color='k', lw=0.8)\n"
                 "ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: usd(v)))\n"
                 "ax.set_xlabel(f'{alt} hourly rate (USD)'); ax.set_ylabel('mean USD (present value)')\n"
                 "ax.legend(fontsize=8, loc='center left', bbox_to_anchor=(1, 0.5));"),
        ("code", "inside = mech.loc[(mech.index >= low) & (mech.index <= high)]\nabove = mech.loc[mech.index > high]\n"
                 "below = mech.loc[mech.index <= low]\n"
                 "lo_r, hi_r = inside.index[0], inside.index[-1]\n"
                 "others = [l for l in labels if l != 'rate gap']\n"
                 "print(f\"inside the band (${lo_r:g} to ${hi_r:g}/h): the tier rises from {inside['capability_tier'].iloc[0]:.2f} to \"\n"
                 "      f\"{inside['capability_tier'].iloc[-1]:.2f}, the rate gap shrinks by {usd(inside['rate gap'].iloc[0] - inside['rate gap'].iloc[-1])} \"\n"
                 "      f\"and the other bars gain {usd(inside[others].sum(axis=1).iloc[-1] - inside[others].sum(axis=1).iloc[0])}\")\n"
                 "if len(above):\n"
                 "    print(f\"above the band: the mean tier stays at {above['capability_tier'].min():.2f}-{above['capability_tier'].max():.2f}, \"\n"
                 "          f\"the other bars change by {usd(above[others].sum(axis=1).iloc[-1] - above[others].sum(axis=1).iloc[0])} \"\n"
                 "          f\"while the rate gap shrinks by {usd(above['rate gap'].iloc[0] - above['rate gap'].iloc[-1])}\")\n"
                 "if len(below) > 1:\n"
                 "    print(f\"below the band bottom: the tier stays at {below['capability_tier'].max():.2f}; \"\n"
                 "          f\"the net benefit goes from {usd(below['net benefit'].iloc[0])} at ${below.index[0]:g} to \"\n"
                 "          f\"{usd(below['net benefit'].iloc[-1])} at ${below.index[-1]:g}\")"),
        ("md", "How to read it: inside the band, each dollar on the rate buys capability. The rate gap shrinks as "
               "the rate rises, but the volume, quality and delivery bars improve, because a more capable team "
               "needs fewer hours, reworks less and delivers sooner (and a month of delay is expensive). Once the rate "
               "reaches the top of the band the tier is capped: a dearer vendor buys no more capability, so the other "
               "bars stop improving while the rate gap keeps shrinking, and the net benefit falls. Below the bottom of "
               "the band the tier is capped at very low, so there a lower rate is a pure saving again. The printed "
               "numbers above say whether the optimum of this scenario is inside the swept range and where it sits "
               "relative to the band; note that its position depends on the band itself, an assumption of the preset "
               "that is worth checking against your own market data."),
        ("md", "## The article's comparison: vendors of different tiers\n"
               "The benchmark scenario `bench/scenarios/vendor-tier-cheapest-vs-mid.json` (its assumptions are printed "
               "below) compares offshore vendors whose rates sit at different places in the offshore band. There is no "
               "separate tier input: each vendor's tier follows its rate."),
        ("code", "path = os.path.join(SCENARIOS, 'vendor-tier-cheapest-vs-mid.json')\n"
                 "for line in json.load(open(path)).get('assumptions', []):\n    print('-', line)\n"
                 "tiers = offroi.Scenario.load(path)\n"
                 "tr = offroi.simulate(tiers, trials=TRIALS, seed=11, all_outputs=True)\n"
                 "display(tr.summary('capability_tier')[['mean', 'p10', 'p90']])\n"
                 "tr.decision().T"),
        ("code", "display(pd.concat([tr.components(a) for a in tr.alternatives], axis=1))\n"
                 "c = offroi.compare(tiers, trials=TRIALS, seed=11)\nc[c['a'] != tiers.baseline]"),
        ("md", "## How high can the rate go?\nAbove the optimum every extra dollar is cost: the rate at which the "
               "offshore team's median net benefit falls to zero."),
        ("code", "try:\n"
                 "    be = offroi.breakeven(scenario, f'{alt}.hourly_rate_usd', float(best), 300.0, mode='set', arrangement=alt,\n"
                 "                          trials=max(TRIALS // 5, 2000), seed=11)\n"
                 "    print(f\"the median net benefit of {alt} reaches 0 at ${be.value:.1f}/h +- {be.standard_error:.1f} \"\n"
                 "          f\"(local hiring's full cost per hour: about \"\n"
                 "          f\"${scenario.get(f'{base}.hourly_rate_usd').mean() * scenario.get(f'{base}.overhead_loading').mean():.0f})\")\n"
                 "except offroi.InvalidArgument as e:\n"
                 "    print('no break-even rate between the optimum and $300/h:', e)"),
        ("md", "## Reading the result"),
        ("code", "td = tr.decision().sort_values('mean', ascending=False)\n"
                 "tier = tr.summary('capability_tier')['mean']\n"
                 "for a in td.index:\n"
                 "    print(f\"{a}: mean tier {tier[a]:.2f}, mean net benefit {usd(td.loc[a, 'mean'])}, P(loss) {td.loc[a, 'prob_loss']:.1%}, \"\n"
                 "          f\"P(delivered) {td.loc[a, 'prob_delivered']:.0%}\")\n"
                 "print(f\"best: {td.index[0]}, worst: {td.index[-1]} (a gap of {usd(td['mean'].iloc[0] - td['mean'].iloc[-1])} in mean net benefit)\")\n"
                 "print(f\"The rate sweep's best mean is at ${best:g}/h; the offshore band is ${low:g}-${high:g}/h.\")"),
        ("md", "**Decision:** compare vendors on net benefit, not on rate. In this model the capability a rate buys is "
               "what pays: the cheapest vendor's rate saving is more than eaten by lost output, rework and late "
               "delivery when its rate places it low in the band, while paying above the top of the band buys nothing. "
               "Check the tier a vendor's rate implies (and any evidence for a premium or a discount on it) before "
               "negotiating the rate down."),
    ],
    "05-leadership-and-vetting": [
        ("md", "# Leadership and vetting: the article's warnings quantified\n\n"
               "Cutting the buyer's senior technical leadership by 25-40% to save money is said to raise failure rates. "
               "In offroi a *leadership deficit* (less senior leadership per engineer-week than a reference time, or "
               "less than the buyer can actually supply) raises three things, each from a published source "
               "(docs/model.md §2): the rework share (COCOMO II analyst capability), the coordination penalty of "
               "distributed work (Herbsleb & Mockus 2003) and the failure hazard (Standish CHAOS against Barthelemy "
               "2001). Leadership hours above the reference cost money and remove no more deficit.\n\n"
               "The benchmark scenario `bench/scenarios/leadership-cut.json` runs the same offshore team twice: with "
               "the buyer's senior leadership as planned, and after a 25-40% cut (its assumptions are printed below)."),
        ("code", SETUP),
        ("code", "path = os.path.join(SCENARIOS, 'leadership-cut.json')\n"
                 "for line in json.load(open(path)).get('assumptions', []):\n    print('-', line)\n"
                 "scenario = offroi.Scenario.load(path)\n"
                 "for a in scenario.alternatives:\n"
                 "    h = scenario.get(f'{a}.leadership_hours_per_engineer_week')\n"
                 "    print(f'{a:16s} leadership hours per engineer-week {h.describe():18s} mean {h.mean():.2f}')\n"
                 "result = offroi.simulate(scenario, trials=TRIALS, seed=5, all_outputs=True)\n"
                 "result.decision().T"),
        ("md", "## The mechanism\nMean rework share, coordination penalty, delivery month (over the trials that deliver "
               "within the horizon: a late delivery is counted in prob_delivered, not mixed into the month) and management "
               "cost of each arrangement (the baseline too)."),
        ("code", "mech = pd.DataFrame({f: result.summary(f)['mean'] for f in ['rework_share', 'coordination_penalty', 'delivery_month', 'management_cost', 'risk_cost']})\n"
                 "mech['prob_delivered'] = [result.prob_delivered(a) for a in mech.index]\nmech"),
        ("code", "oplot.cdf(result);"),
        ("code", "comp = pd.concat([result.components(a) for a in result.alternatives], axis=1)\n"
                 "comp['cut - full'] = comp['leadership_cut'] - comp['full_leadership']\ncomp"),
        ("md", "## Paired difference\nSame draws for both arrangements (common random numbers): the difference "
               "isolates the cut."),
        ("code", "c = offroi.compare(scenario, trials=TRIALS, seed=5)\nc[(c['a'] != scenario.baseline)]"),
        ("code", "diff = comp['cut - full'].drop('net benefit')\n"
                 "saved, lost = diff[diff > 0], diff[diff < 0]\n"
                 "print('bars that move in favour of the cut:', ', '.join(f'{k} {usd(v)}' for k, v in saved.items()) or 'none')\n"
                 "print('bars that move against the cut:', ', '.join(f'{k} {usd(v)}' for k, v in lost.sort_values().items()) or 'none')\n"
                 "if diff['rate gap'] > 0:\n"
                 "    print('(the rate gap grows only because the slower team bills more hours, each priced below local '\n"
                 "          'hiring\\'s rate; the volume and quality bars charge those extra hours at local hiring\\'s rate)')\n"
                 "print(f\"net effect on the mean net benefit: {usd(diff.sum())}; P(loss) \"\n"
                 "      f\"{result.prob_loss('full_leadership'):.1%} -> {result.prob_loss('leadership_cut'):.1%}; P(delivered) \"\n"
                 "      f\"{result.prob_delivered('full_leadership'):.0%} -> {result.prob_delivered('leadership_cut'):.0%}\")"),
        ("md", "## How much leadership pays?\nSweep the full-leadership team's planned hours per engineer-week (set to a "
               "constant)."),
        ("code", "hours = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6]\n"
                 "sw = offroi.sweep(scenario, 'full_leadership.leadership_hours_per_engineer_week', hours, trials=max(TRIALS // 5, 2000), seed=5)\n"
                 "sw = sw[sw['arrangement'] == 'full_leadership']\n"
                 "oplot.fan(sw, xlabel='leadership hours per engineer-week (full_leadership)', mean=True)\n"
                 "h = sw.set_index('value')\nbest_h = h['mean'].idxmax()\n"
                 "print(f\"highest mean net benefit at {best_h:g} h per engineer-week: {usd(h.loc[best_h, 'mean'])}; \"\n"
                 "      f\"at {hours[0]:g} h: {usd(h.loc[hours[0], 'mean'])}, at {hours[-1]:g} h: {usd(h.loc[hours[-1], 'mean'])}\")\n"
                 "h[['mean', 'se', 'prob_loss', 'prob_delivered', 'prob_breakeven']]"),
        ("md", "## When the buyer's seniors are scarce\nPlanned hours are not always available: the scenario's "
               "leadership supply caps the senior hours per week any one team gets (the default is unlimited). Less "
               "supply also touches the in-house baseline, so the baseline's P(delivered) is shown too."),
        ("code", "supply = [5, 10, 20, 30, 45, 1e6]\n"
                 "ss = offroi.sweep(scenario, 'leadership_supply_hours_per_week', supply, trials=max(TRIALS // 5, 2000), seed=5)\n"
                 "ss[ss['arrangement'] == 'full_leadership'][['value', 'mean', 'se', 'prob_loss', 'prob_delivered', 'baseline_prob_delivered']]"),
        ("md", "## Vetting rigor\nSweep the vetting rigor of the full-leadership team from 0.2 to 0.9. Vetting prevents "
               "defects and lowers the failure hazard, and costs leaders' interview hours per hire."),
        ("code", "sw = offroi.sweep(scenario, 'full_leadership.vetting_rigor', [0.2, 0.4, 0.6, 0.8, 0.9], trials=max(TRIALS // 5, 2000), seed=5)\n"
                 "oplot.fan(sw, arrangements=['full_leadership'], xlabel='vetting rigor', mean=True)\n"
                 "v = sw[sw['arrangement'] == 'full_leadership'].set_index('value')\n"
                 "print(f\"mean net benefit from {usd(v['mean'].iloc[0])} at rigor {v.index[0]:g} to {usd(v['mean'].iloc[-1])} at {v.index[-1]:g}\")"),
        ("md", "**Decision:** weigh the leadership hours a cut saves (the management bar) against what it costs in "
               "rework, coordination, delivery and risk (the other bars, printed above). The sweep shows where more "
               "senior time stops paying; below that point, cutting leadership to save money is a false economy, and "
               "a buyer whose seniors cannot supply the planned hours should plan for the lower figure."),
    ],
    "06-scale-out-with-dask": [
        ("md", "# Scale-out with Dask\n\nWhen a sweep or a portfolio study outgrows one machine, `offroi.distributed` "
               "runs trial shards, sweep steps or a Sobol' design on a Dask cluster, and the answer is the same bits as "
               "a local run at the same seed. Here a LocalCluster of two worker processes stands in for a real cluster."),
        ("code", SETUP),
        ("code", "from dask.distributed import Client, LocalCluster\nimport offroi.distributed as od\n"
                 "cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40)\n"
                 "client = Client(cluster)\nclient"),
        ("code", "scenario = offroi.Scenario.default()\nremote = od.simulate(client, scenario, trials=TRIALS, seed=9, shards=4)\n"
                 "local = offroi.simulate(scenario, trials=TRIALS, seed=9, keep_samples=False)  # as the shards: summaries only\n"
                 "print('identical to the local run:', remote.to_json() == local.to_json())\nremote.decision().T"),
        ("md", "The framing and the contracts travel with the scenario: a capacity-framed run on the cluster equals the "
               "local one too."),
        ("code", "capacity = scenario.copy()\ncapacity.framing = 'capacity'\n"
                 "print('identical:', od.simulate(client, capacity, trials=TRIALS, seed=9, shards=4).to_json()\n"
                 "      == offroi.simulate(capacity, trials=TRIALS, seed=9, keep_samples=False).to_json())"),
        ("md", "## A sweep, one task per scenario variant"),
        ("code", "values = [0.8, 0.9, 1.0, 1.1, 1.2]\nsw = od.sweep(client, scenario, 'offshore_team.hourly_rate_usd', values, "
                 "mode='scale', trials=max(TRIALS // 5, 2000), seed=9)\n"
                 "print('identical:', sw.equals(offroi.sweep(scenario, 'offshore_team.hourly_rate_usd', values, mode='scale', "
                 "trials=max(TRIALS // 5, 2000), seed=9)))\noplot.fan(sw, xlabel='offshore rate factor');"),
        ("md", "## A Sobol' design evaluated on the workers\nAny vectorised numpy model works; here the Ishigami test function."),
        ("code", "def ishigami(X):\n    return np.sin(X[:, 0]) + 7 * np.sin(X[:, 1]) ** 2 + 0.1 * X[:, 2] ** 4 * np.sin(X[:, 0])\n\n"
                 "u = offroi.uniform(-np.pi, np.pi)\nod.sobol_indices(client, ishigami, [u, u, u], 2048, bootstrap=50)"),
        ("code", "client.close(); cluster.close()"),
    ],
    "07-pilot-first": [
        ("md", "# Pilot first? What to find out, whether a pilot pays, and what its data say\n\n"
               "The article's advice is to start small: a paid pilot, then earn the right to scale. A pilot is a "
               "decision with an option in it. It costs time and money (a smaller team for some months, a set-up, "
               "the delay of full staffing) and is worth what it lets the buyer avoid. This notebook answers, with "
               "numbers, the three questions behind the advice:\n\n"
               "1. **What should we find out first?** The value of information: what perfect knowledge of each "
               "uncertain input would be worth for today's decision (EVPI, EVPPI).\n"
               "2. **Is a pilot worth its cost, and what should we do when it ends?** The staged decision: a pilot of "
               "k engineers for m months, then scale up, keep the pilot team or exit; the decision rule learnt on "
               "training draws and valued on fresh ones.\n"
               "3. **What do the pilot's data say?** Observations after m months update the forecast.\n\n"
               "And, once committed, **which variant** (here: overlap hours) to buy, by ranking and selection."),
        ("code", SETUP),
        ("md", "## 1. The default scenario: is there anything to learn?\n"
               "Offshore team against local hiring (10 engineers, project framing, cost of delay $60k-250k a month). "
               "`offroi.voi` runs the scenario once and computes, from the same draws, the expected value of perfect "
               "information (EVPI) and of partial perfect information about each input (EVPPI, by regression on the "
               "samples, Strong, Oakley & Brennan 2014)."),
        ("code", "scenario = offroi.Scenario.default()\n"
                 "v = offroi.voi(scenario, trials=max(TRIALS, 5000), seed=1)\n"
                 "print(v)\n"
                 "v.groups[['n_inputs', 'evppi', 'evppi_se', 'share_of_evpi']]"),
        ("md", "EVPI bounds what any study, pilot or consultant could be worth for this decision. Against a mean net "
               "benefit in the millions it is small: the offshore team wins in most draws, so the decision is clear.\n\n"
               "## 2. A pilot on the default scenario\n"
               "`offroi.staged_decision` values a 3-engineer, 6-month pilot of the offshore team, then scale up, stay or "
               "exit to local hiring, on what the pilot shows at month 6 (useful output per engineer-month, rework share, "
               "attrition, each measured with the noise of a small team; docs/staged-decisions.md)."),
        ("code", "n = max(TRIALS // 5, 2000)\n"
                 "pilot = offroi.staged_decision(scenario, pilot_headcount=3, decision_month=6, training_trials=n,\n"
                 "                               evaluation_trials=n, seed=2)\n"
                 "print(pilot.rule)\n"
                 "print(f'option value {usd(pilot.option_value)} +- {usd(pilot.option_value_se)}; '\n"
                 "      f'EVPI now {usd(pilot.evpi_now)}; EVSI of the pilot {usd(pilot.evsi)}')\n"
                 "pilot.strategies[['mean', 'standard_error', 'p10', 'p90', 'prob_loss']]"),
        ("code", "offroi.plot_staged_decision(pilot);"),
        ("md", "The option value is negative: committing now beats piloting by several hundred thousand dollars. The "
               "pilot would reveal little (EVSI is tiny: the decision is already clear) and costs about three months "
               "of delay at full staffing. Here the article's advice does not apply, and offroi says why.\n\n"
               "## 3. An unknown vendor\n"
               "Now the buyer knows the rate card but not the vendor: its capability relative to its price is anywhere "
               "from far below to above the market (capability premium uniform on [-0.6, 0.4]) and its annual failure "
               "probability is PERT(5%, 15%, 40%)."),
        ("code", "unknown = scenario.copy()\n"
                 "unknown.set('offshore_team.capability_premium', offroi.uniform(-0.6, 0.4))\n"
                 "unknown.set('offshore_team.failure_annual_probability', offroi.pert(0.05, 0.15, 0.4))\n"
                 "vu = offroi.voi(unknown, trials=max(TRIALS, 5000), seed=1)\n"
                 "print(vu)\n"
                 "vu.inputs[['evppi', 'evppi_se', 'share_of_evpi']].head(6)"),
        ("md", "EVPI is now several times larger, and the EVPPI ranks the vendor's capability first: exactly what a "
               "pilot reveals. Which pilot? A grid of pilot sizes and lengths, each valued on fresh draws:"),
        ("code", "rows = []\n"
                 "for k in [3, 5, 10]:\n"
                 "    for m in [3, 6]:\n"
                 "        r = offroi.staged_decision(unknown, pilot_headcount=k, decision_month=m, training_trials=n,\n"
                 "                                   evaluation_trials=n, seed=3)\n"
                 "        rows.append({'engineers': k, 'months': m, 'option value': r.option_value,\n"
                 "                     'SE': r.option_value_se, 'EVSI': r.evsi, 'exit share': r.action_shares['exit']})\n"
                 "designs = pd.DataFrame(rows).set_index(['engineers', 'months'])\n"
                 "designs.style.format({'option value': usd, 'SE': usd, 'EVSI': usd, 'exit share': '{:.0%}'})"),
        ("code", "best = designs['option value'].idxmax()\n"
                 "chosen = offroi.staged_decision(unknown, pilot_headcount=best[0], decision_month=best[1],\n"
                 "                                training_trials=n, evaluation_trials=n, seed=3)\n"
                 "print(chosen.rule)\n"
                 "offroi.plot_staged_decision(chosen);"),
        ("md", "With an unknown vendor a short pilot pays, and short-and-large beats long-and-small: a few months of a "
               "sizeable team reveal nearly as much as a long pilot, while the cost of a pilot is mostly the delay of full "
               "staffing. A full team with a break clause after three months is a pilot too, often the best one.\n\n"
               "## 4. After the pilot: what the data say\n"
               "Three months in, the pilot team shows a rework share of 45% (measured on its work items, +-5 points) "
               "and 2 of its 5 engineers have left. `offroi.update` reweights the prior draws by the likelihood of "
               "these observations (Pareto-smoothed importance sampling; k-hat and ESS say whether to trust it)."),
        ("code", "up = offroi.update(unknown, observe={'offshore_team.rework_share': (0.45, 0.05)},\n"
                 "                   observations={'attrition': [{'arrangement': 'offshore_team', 'leavers': 2,\n"
                 "                                                'engineers': 5, 'months': 3}]},\n"
                 "                   trials=max(TRIALS, 5000), seed=4)\n"
                 "print(up)\n"
                 "up.summary.loc['offshore_team', ['p10', 'p50', 'p90', 'mean', 'prob_loss', 'prob_delivered']]"),
        ("md", "Compare the prior and updated rows: with a 45% rework share and two leavers in three months the "
               "chance of a loss is far higher than before the pilot, and the buyer should exit rather than scale. The "
               "weighted drivers show what still moves the answer once the pilot's evidence is in."),
        ("code", "up.drivers.head(6)"),
        ("md", "## 5. Once committed: which variant?\n"
               "If the buyer does scale up, the overlap of working hours is negotiable. `offroi.select_options` "
               "compares the variants on common random numbers, spends trials where the ranking is close (OCBA) and "
               "shows the risk/return frontier."),
        ("code", "choice = offroi.select_options(unknown, vary={'offshore_team.overlap_hours': [0, 2, 4, 6]},\n"
                 "                               budget=max(TRIALS // 2, 12000), seed=5)\n"
                 "print(choice)\n"
                 "choice.options[['trials', 'adjusted_mean', 'difference', 'difference_se', 'pcs']]"),
        ("code", "choice.plot();"),
        ("md", "**Decision.** For the default scenario: commit now; a pilot costs more than it can reveal. For a vendor "
               "whose capability is unknown: run a short, sizeable pilot (or a full team with a break clause), exit if "
               "the observed useful output per engineer-month falls below the rule's threshold, and update the forecast "
               "with what the pilot shows before scaling."),
    ],
}


def build(name, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(s) if k == "md" else nbformat.v4.new_code_cell(s) for k, s in cells]
    return nb


def execute(nb, timeout=600):
    NotebookClient(nb, kernel_name="python3", timeout=timeout,
                   resources={"metadata": {"path": str(NB_DIR)}}).execute()
    return nb


if __name__ == "__main__":
    names = sys.argv[1:] or list(NOTEBOOKS)
    for n in names:
        nb = execute(build(n, NOTEBOOKS[n]))
        nbformat.write(nb, NB_DIR / f"{n}.ipynb")
        print("wrote", n)
