"""The ``vlr`` command line: every command parses input, calls one library function, renders."""
