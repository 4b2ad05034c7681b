"""pilotbook: walk a team from an AI pilot to a go/no-go decision and a named owner."""

__version__ = "0.1.0"
