"""The review package: a whole review as a Frictionless data package (folder or zip).

The exchange and backup format of vlrkit (``vlr export`` / ``vlr import-package``).
"""

from vlrkit.formats.package.io import PackageError, package_files, read_package, write_package

__all__ = ["PackageError", "package_files", "read_package", "write_package"]
