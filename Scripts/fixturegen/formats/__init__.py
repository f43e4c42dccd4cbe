"""Writers for the client's file formats, one module per format (CLIENT-MODEL §2–§9, §12).

Each turns a `Scenario` (and the facts `fixturegen.scenario` derives from it) into the exact bytes
the Windows client or a collector would leave: encodings, line ends, quoting and layout are part
of what the fixtures test, so they are decided here and nowhere else.
"""
