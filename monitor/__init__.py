"""monitor: watches DPRK state-media listing pages and alerts on new high-level meetings."""

__version__ = "0.1.0"
