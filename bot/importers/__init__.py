"""Importers: directories → cards under knowledge/imported/, as a pipeline of small steps.

read (streaming) → validate (the official models) → select (the département) → map (needs, zones, facts) → write
(one file per card, only when it changed). Each step is a function of one record that keeps it or says why not;
the Report gathers what each step dropped, and what was added, changed and removed.
"""

from . import data_inclusion
from .card import CardSource, ImportedCard, render
from .report import Dropped, Problem, Report
from .write import CardWriter, decide

__all__ = ["CardSource", "CardWriter", "Dropped", "ImportedCard", "Problem", "Report", "data_inclusion", "decide",
           "render"]
