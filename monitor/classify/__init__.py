"""Classification of items: meeting / diplomatic / domestic, high_level, participants and countries."""

from __future__ import annotations

from monitor.classify import classifier as _classifier
from monitor.classify.classifier import RULES_VERSION, Classification, Classifier
from monitor.classify.gazetteer import Gazetteer, GazetteerError, load_gazetteer
from monitor.classify.names import canonical_name

__all__ = ["RULES_VERSION", "Classification", "Classifier", "Gazetteer", "GazetteerError", "canonical_name",
           "compiled", "load_gazetteer"]


def compiled() -> bool:
    """Whether the classifier runs compiled to C (mypyc, built by `pip install .`) rather than as pure Python."""
    return not str(_classifier.__file__).endswith(".py")
