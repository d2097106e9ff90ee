import sys

from kiosk import green

# Before anything else is imported: the server runs on gevent (see kiosk/green.py).
green.patch_if_serving(sys.argv[1:])

from kiosk.cli import main  # noqa: E402

main()
