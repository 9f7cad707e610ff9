"""The network, used only when the user asked for it: one bounded fetcher (``fetch``)."""
