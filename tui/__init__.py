"""newsreader: read a pile of news closely in the terminal."""

__version__ = "0.1.0"
