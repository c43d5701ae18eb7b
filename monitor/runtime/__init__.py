"""The running process: wiring the parts once (`app`), one pass over the sources (`runner`), the daemon and its
systemd notifications, the one-process-per-database lock, and the local site of the demo and the tests."""
