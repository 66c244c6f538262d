"""`python -m generator` runs the `explainer` command line."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="explainer")
