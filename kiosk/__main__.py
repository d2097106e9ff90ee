"""`python -m kiosk` and the `kiosk` console script: one entry point for every command."""

import sys


def main() -> None:
    # Before anything else is imported: the server runs on gevent (kiosk/serving/green.py).
    from kiosk.serving import green

    green.patch_if_serving(sys.argv[1:])
    from kiosk.commands.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
