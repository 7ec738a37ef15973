"""``python -m brainlike.scripts ...`` is the ``brainlike`` command."""

import sys

from brainlike.scripts.cli import main

sys.exit(main())
