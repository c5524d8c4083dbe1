"""``python -m kimputin_ds.render``."""

from kimputin_ds.render.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
