import sys

from tfgan.cli.main import main

sys.exit(main())
