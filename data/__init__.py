"""The course's data files, installed as the package ``helpers.course_data``.

pyproject.toml maps this folder to ``helpers.course_data``, so the wheel carries it (Colab
installs the wheel, not the repository). Read a file with ``helpers.data.data_file(name)``,
which works in a clone and in an installed package alike. README.md lists every file;
MANIFEST.json records their sizes and checksums (``make data-manifest``).
"""
