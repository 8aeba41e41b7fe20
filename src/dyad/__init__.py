"""dyad: a sourced, cross-checked knowledge base from articles about relations between states."""

__version__ = "0.1.0"
