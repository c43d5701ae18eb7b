"""Bringing pages in: the HTTP policy and fetcher (`fetch`, `netpolicy`, `netguard`, `contentcoding`,
`decoding`, `httppolicy`), credentials kept out of sight (`redact`), and the run of one source through its
stages (`pipeline`: fetch -> parse -> normalize -> store -> classify -> events -> outbox)."""
