"""Run linkgraph from a checkout without installing it: ``python cli.py --help``."""

from linkgraph.cli import main

if __name__ == "__main__":
    main()
