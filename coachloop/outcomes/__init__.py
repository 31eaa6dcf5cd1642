"""Outcomes: which manager behaviours moved the team's numbers.

* :mod:`.panel` — the behaviour and KPI panels (pandas) and the workspace adapter;
* :mod:`.impact` — lagged two-way fixed-effects model with a measurement-error correction;
* :mod:`.cohorts` — coached vs classroom: difference-in-differences, plateau and decay;
* :mod:`.report` — 90-day reports and weekly briefs as HTML and PDF;
* :mod:`.planner` — classroom programme vs behavioural loop: hours and cost;
* :mod:`.synthetic` — panels with known effects, for tests and docs.

Everything here is a pure function of its inputs; refusals raise
:class:`coachloop.errors.AnalysisError`.
"""
