import sys

from kiosk.serving import green

# Before anything else is imported: the server runs on gevent (see kiosk/serving/green.py).
green.patch_if_serving(sys.argv[1:])

from kiosk.commands.cli import main  # noqa: E402

main()
