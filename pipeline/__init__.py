"""powers: read Chinese statutes and propose the entries of a government power list."""

__version__ = "0.1.0"
