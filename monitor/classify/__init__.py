"""Classification of items: meeting / diplomatic / domestic, high_level, participants and countries."""

from __future__ import annotations

from monitor.classify.classifier import RULES_VERSION, Classification, Classifier
from monitor.classify.gazetteer import Gazetteer, GazetteerError, load_gazetteer
from monitor.classify.names import canonical_name

__all__ = ["RULES_VERSION", "Classification", "Classifier", "Gazetteer", "GazetteerError", "canonical_name",
           "load_gazetteer"]

