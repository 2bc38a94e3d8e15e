"""The back office's cross-app layer: what spans several apps (the home page and its queues,
the reminder fan-out, the consequences of a calendar edit). The top layer: nothing imports it."""
