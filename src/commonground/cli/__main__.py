"""``python -m commonground.cli``: the ``commonground`` command."""

import sys

from commonground.cli.main import main

sys.exit(main())
