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
import os
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import offroi
import offroi.plot as oplot

# Trials per run: small in the test suite (OFFROI_NOTEBOOK_TRIALS), full size otherwise.
TRIALS = int(os.environ.get("OFFROI_NOTEBOOK_TRIALS", "100000"))
SCENARIOS = os.path.join("..", "bench", "scenarios")
pd.set_option("display.float_format", lambda v: f"{v:,.3f}")"""

NOTEBOOKS = {
    "01-quickstart": [
        ("md", "# Quickstart: should we grow with an offshore team?\n\nThe built-in default scenario asks whether a software organisation should add 10 engineers by **local hiring** or through a **dedicated offshore team** from a vendor, over 36 months at a 10% discount rate. Every input is a distribution; offroi simulates the costs of both and reports the *net benefit* of the offshore team (positive: cheaper than hiring locally)."),
        ("code", SETUP),
        ("code", "scenario = offroi.Scenario.default()\nprint(scenario.name, '| baseline:', scenario.baseline, '| alternatives:', scenario.alternatives)\nscenario.get('cost_of_delay_per_month_usd')"),
        ("md", "## Simulate\nOne call runs the C++ engine on all cores (same seed, same bits whatever the thread count). `progress=True` shows a bar; Ctrl-C cancels cleanly."),
        ("code", "result = offroi.simulate(scenario, trials=TRIALS, seed=2024)\nresult.summary()"),
        ("md", "The probability of losing money and the expected loss in the worst 5% of trials:"),
        ("code", "print(f\"P(loss) = {result.prob_loss():.1%}, expected shortfall = ${result.expected_shortfall():,.0f}\")\nresult.quantiles([0.05, 0.25, 0.5, 0.75, 0.95])"),
        ("md", "## The distribution of the net benefit"),
        ("code", "oplot.histogram(result);"),
        ("md", "## Where does the benefit come from?\nThe waterfall starts from the gross rate saving and subtracts each cost that offshoring adds (or adds what it saves) to reach the mean net benefit."),
        ("code", "display(result.components().to_frame('mean USD'))\noplot.waterfall(result);"),
        ("md", "## Samples are numpy views\n`samples()` hands out the C++ result's memory without copying."),
        ("code", "nb = result.samples()['offshore_team.net_benefit']\nprint(nb.shape, nb.dtype, 'owns data:', nb.flags.owndata)"),
        ("md", "**Decision:** under the default assumptions the offshore team is cheaper in most trials, but the delivery impact (cost of delay) and the quality and management costs eat a large share of the rate saving. The next notebooks test which assumptions that conclusion depends on."),
    ],
    "02-compare-sourcing-models": [
        ("md", "# Comparing sourcing models\n\nIn-house hiring against the five external models (outsourcing, offshore team, nearshore, staff augmentation, hybrid), each with its evidence-based preset. All arrangements see the *same draws* of the shared inputs in each trial (common random numbers), so differences are sharp."),
        ("code", SETUP),
        ("code", "models = [m for m in offroi.presets() if m != 'in_house']\nscenario = offroi.Scenario.from_presets(models)\nresult = offroi.simulate(scenario, trials=TRIALS, seed=7)\nresult.summary().sort_values('p50', ascending=False)"),
        ("code", "oplot.cdf(result);"),
        ("md", "## Pairwise comparison\n`compare` reports for every pair the mean difference of net benefit with its standard error and the share of trials where the first is better."),
        ("code", "pairs = offroi.compare(scenario, trials=TRIALS, seed=7)\npairs[pairs['a'] != 'in_house'].sort_values('prob_a_better', ascending=False).head(10)"),
        ("code", "fig, axes = plt.subplots(1, 2, figsize=(14, 4.5), layout='constrained')\nbest = result.summary()['p50'].idxmax()\noplot.waterfall(result, best, ax=axes[0])\noplot.waterfall(result, 'staff_augmentation', ax=axes[1]);"),
        ("md", "**Decision:** rank the models by median net benefit *and* by P(loss): a model with a high median but a fat left tail may not be the one a risk-averse buyer wants."),
    ],
    "03-what-drives-roi": [
        ("md", "# What drives the ROI?\n\nBefore negotiating rates, find out which uncertain inputs actually move the outcome. Three lenses: a one-at-a-time tornado, rank correlations from a simulation, and variance-based Sobol' indices (which also see interactions)."),
        ("code", SETUP),
        ("code", "scenario = offroi.Scenario.default()\nevent_trials = 256 if TRIALS >= 50000 else 32\ntornado = offroi.sensitivity.tornado(scenario, event_trials=event_trials)\ntornado.head(8)"),
        ("code", "oplot.tornado(tornado, top=10);"),
        ("md", "## Rank correlations from the simulation"),
        ("code", "ranks = offroi.sensitivity.rank(scenario, trials=min(TRIALS, 20000), seed=1)\nranks.head(8)"),
        ("md", "## Sobol' indices\nFirst-order S_i: the share of variance explained by input i alone; total ST_i: including its interactions."),
        ("code", "n = 512 if TRIALS >= 50000 else 64\nsobol = offroi.sensitivity.sobol(scenario, n=n, event_trials=16, bootstrap=0)\nsobol.sort_values('total_order', ascending=False).head(8)"),
        ("code", "top = sobol.sort_values('total_order', ascending=False).head(8)\nax = top[['first_order', 'total_order']].plot.barh(figsize=(8, 4.5))\nax.invert_yaxis(); ax.set_xlabel('Sobol index');"),
        ("md", "**Decision:** the cost of delay and the two hourly rates dominate. Spend effort pinning down the cost of a month of delay before haggling over a few dollars per hour."),
    ],
    "04-vendor-tier-and-rates": [
        ("md", "# Vendor tier and rates: is the cheapest vendor the cheapest choice?\n\nThe article claims that the lowest-rate vendors often cost more in the end, because rework, management load and failure risk grow as quality falls. The benchmark scenario pits a cheapest-tier offshore vendor against a mid-tier one."),
        ("code", SETUP),
        ("code", "scenario = offroi.Scenario.load(os.path.join(SCENARIOS, 'vendor-tier-cheapest-vs-mid.json'))\nprint(scenario.name)\nprint('alternatives:', scenario.alternatives)\nresult = offroi.simulate(scenario, trials=TRIALS, seed=11)\nresult.summary()"),
        ("code", "oplot.histogram(result);"),
        ("code", "c = offroi.compare(scenario, trials=TRIALS, seed=11)\nc"),
        ("md", "## Components side by side"),
        ("code", "pd.concat([result.components(a) for a in result.alternatives], axis=1)"),
        ("md", "## How high can the mid-tier rate go?\nSweep the mid-tier vendor's rate (as a factor on its distribution) and find where its median benefit falls to zero."),
        ("code", "mid = result.alternatives[-1]\nfactors = np.linspace(0.8, 1.6, 5)\nsw = offroi.sweep(scenario, f'{mid}.hourly_rate_usd', factors, mode='scale', trials=max(TRIALS // 5, 2000), seed=11)\noplot.fan(sw, xlabel=f'{mid} hourly rate factor');"),
        ("code", "be = offroi.breakeven(scenario, f'{mid}.hourly_rate_usd', 0.5, 4.0, mode='scale', arrangement=mid, trials=max(TRIALS // 5, 2000), seed=11)\nprint(f\"median net benefit of {mid} reaches 0 at rate factor {be['value']:.2f} +- {be['standard_error']:.2f}\")"),
        ("md", "**Decision:** compare the two tiers on net benefit, not on rate: the claim holds if the mid tier's median is higher and its P(loss) lower, despite its dearer rate."),
    ],
    "05-leadership-and-vetting": [
        ("md", "# Leadership and vetting: the article's warnings quantified\n\nCutting the buyer's senior technical leadership by 25-40% to save money is said to raise failure rates. The benchmark scenario runs the same offshore team with full leadership and with the cut."),
        ("code", SETUP),
        ("code", "scenario = offroi.Scenario.load(os.path.join(SCENARIOS, 'leadership-cut.json'))\nresult = offroi.simulate(scenario, trials=TRIALS, seed=5)\nresult.summary()"),
        ("code", "oplot.cdf(result);"),
        ("code", "pd.concat([result.components(a) for a in result.alternatives], axis=1)"),
        ("md", "## Paired difference\nSame draws for both arrangements (common random numbers): the difference isolates the cut."),
        ("code", "c = offroi.compare(scenario, trials=TRIALS, seed=5)\nc[(c['a'] != scenario.baseline)]"),
        ("md", "## Vetting rigor\nSweep the vetting rigor of the full-leadership team from 0.2 to 0.9."),
        ("code", "sw = offroi.sweep(scenario, 'full_leadership.vetting_rigor', [0.2, 0.4, 0.6, 0.8, 0.9], trials=max(TRIALS // 5, 2000), seed=5)\noplot.fan(sw, arrangements=['full_leadership'], xlabel='vetting rigor');"),
        ("md", "**Decision:** the leadership hours saved are small next to the rework, coordination and failure costs they bring; keep senior leadership close to the offshore team."),
    ],
    "06-scale-out-with-dask": [
        ("md", "# Scale-out with Dask\n\nWhen a sweep or a portfolio study outgrows one machine, `offroi.distributed` runs trial shards, sweep steps or a Sobol' design on a Dask cluster, and the answer is the same bits as a local run at the same seed. Here a LocalCluster of two worker processes stands in for a real cluster."),
        ("code", SETUP),
        ("code", "from dask.distributed import Client, LocalCluster\nimport offroi.distributed as od\ncluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40)\nclient = Client(cluster)\nclient"),
        ("code", "scenario = offroi.Scenario.default()\nremote = od.simulate(client, scenario, trials=TRIALS, seed=9, shards=4)\nlocal = offroi.simulate(scenario, trials=TRIALS, seed=9)\nprint('identical to the local run:', remote.to_json() == local.to_json())\nremote.summary()"),
        ("md", "## A sweep, one task per scenario variant"),
        ("code", "values = [0.8, 0.9, 1.0, 1.1, 1.2]\nsw = od.sweep(client, scenario, 'offshore_team.hourly_rate_usd', values, mode='scale', trials=max(TRIALS // 5, 2000), seed=9)\nprint('identical:', sw.equals(offroi.sweep(scenario, 'offshore_team.hourly_rate_usd', values, mode='scale', trials=max(TRIALS // 5, 2000), seed=9)))\noplot.fan(sw, xlabel='offshore rate factor');"),
        ("md", "## A Sobol' design evaluated on the workers\nAny vectorised numpy model works; here the Ishigami test function."),
        ("code", "def ishigami(X):\n    return np.sin(X[:, 0]) + 7 * np.sin(X[:, 1]) ** 2 + 0.1 * X[:, 2] ** 4 * np.sin(X[:, 0])\n\nu = offroi.uniform(-np.pi, np.pi)\nod.sobol_indices(client, ishigami, [u, u, u], 2048, bootstrap=50)"),
        ("code", "client.close(); cluster.close()"),
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
