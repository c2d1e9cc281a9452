"""python -m tests.docs: run the fenced blocks of README.md and docs/*.md (see run.py)."""

import sys

from tests.docs.run import main

sys.exit(main())
