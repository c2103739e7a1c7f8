"""Allow ``python -m dyadscope``."""

from dyadscope.cli import main

if __name__ == "__main__":
    main()
