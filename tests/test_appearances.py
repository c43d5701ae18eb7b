"""Appearance detection on invented reports: activities in person count, messages and mentions do not."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.classify import Classifier
from monitor.classify.appearances import find_appearances
from monitor.classify.namelists import name_lists

GAZ = Classifier.load().gazetteer
WHEN = date(2025, 5, 1)


@pytest.mark.parametrize("title, lead, kind", [
    ("Kim Jong Un Inspects Machine Plant", "Kim Jong Un inspected a machine plant in Kangso.", "inspects"),
    ("Kim Jong Un Visits Hospital Nearing Completion", "", "visits"),
    ("Kim Jong Un Watches Air Force Flight Drill", "Kim Jong Un watched a flight drill of pilots.", "watches"),
    ("Performance Given for Soldiers", "Kim Jong Un, general secretary of the Workers' Party of Korea, enjoyed a "
     "performance given for the soldiers on Sunday.", "attends"),
    ("Kim Jong Un Receives Delegation of Vietnam", "Kim Jong Un received a delegation of Vietnam.", "receives"),
    ("Hospital Construction Speeds Up", "Kim Jong Un once again visited the hospital under construction.", "visits"),
])
def test_activities_in_person(title: str, lead: str, kind: str) -> None:
    """The leader inspecting, visiting, watching, attending or receiving a delegation is an appearance."""
    found = find_appearances(title, lead, GAZ, WHEN)
    assert [(a.person, a.kind) for a in found] == [("Kim Jong Un", kind)]


@pytest.mark.parametrize("title, lead", [
    ("Kim Jong Un Sends Greetings to Syrian President", "Kim Jong Un sent a message of greeting to Syria."),
    ("Message to Kim Jong Un from Guinean President", "Kim Jong Un received a message from Guinea's president."),
    ("Kim Jong Un's Works Studied in India", "Seminars on Kim Jong Un's works were held in New Delhi."),
    ("Kim Jong Un Receives Gift from Russian President", "Kim Jong Un received a gift from Russia's president."),
    ("Memorable Visit", "One day in April Juche 104 (2015), Kim Jong Un visited a tree nursery."),
    ("Kim Jong Un to Visit China", "Kim Jong Un will visit China at the invitation of its president."),
])
def test_not_appearances(title: str, lead: str) -> None:
    """Greetings sent, messages and gifts received, works studied, stories of the past and visits to come are not
    appearances."""
    assert find_appearances(title, lead, GAZ, WHEN) == []


def test_escorts_appear_with_the_leader() -> None:
    """Officials named as accompanying the leader appear too, once each, in the order of the report."""
    found = find_appearances("Kim Jong Un Tours Greenhouse Farm", "Kim Jong Un toured a greenhouse farm, "
                             "accompanied by Jo Yong Won and Kim Yo Jong.", GAZ, WHEN)
    assert [(a.person, a.kind) for a in found] == [("Kim Jong Un", "tours"), ("Jo Yong Won", "accompanies"),
                                                   ("Kim Yo Jong", "accompanies")]


def test_name_lists_in_order() -> None:
    """The lists of names keep their protocol order, titles skipped; one name alone is no list."""
    text = ("Kim Jong Un attended the meeting. Seated on the platform were Choe Ryong Hae, Premier Pak Thae Song "
            "and Jo Yong Won, members of the Presidium. Present were Kim Yo Jong.")
    assert name_lists(text, GAZ) == [("presidium", ["Choe Ryong Hae", "Pak Thae Song", "Jo Yong Won"])]
