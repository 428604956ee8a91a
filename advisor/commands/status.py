"""Exit codes, named once for every command."""

EXIT_OK = 0
EXIT_MISSING_ANSWERS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
