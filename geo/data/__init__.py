"""The data files the package ships, read with :mod:`importlib.resources`.

The files live at the top of the repository (``data/weapons.json``), where
people edit them; this package holds symbolic links to them, which a wheel
build replaces by the files themselves. So ``pip install .`` carries the
catalog, and an editable install or a checkout reads the same file.
"""
