"""newsdesk: market news stories to Markdown posts, an embedded archive and a Hugo site."""

__version__ = "0.1.0"
__all__ = ["__version__"]
