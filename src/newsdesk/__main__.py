"""`python -m newsdesk` runs the command line."""

from newsdesk.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
