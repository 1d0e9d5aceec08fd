"""newsdigest: turn many outlets' feeds into a bias-aware static news site."""

__version__ = "0.1.0"
