/// LicensingParsers: bytes of a client machine → `LicensingModel` values.
///
/// One parser per format of CLIENT-MODEL.md, each a small type in its own file: policies (raw
/// JSON, JWT, `.belic`), `reg export` files, `tasklist` and usage-log CSV, event-log XML
/// exports, the Feature Level Selector and `.exe.config` XML (through XMLKit, never libxml2
/// directly), the CONNECTION Client API answer, and logs (streamed line by line over bytes, with
/// continuation lines folded into their entry). Parsers are tolerant: they match by content,
/// accept the encodings Windows writes (UTF-8, UTF-16 with or without a BOM), never crash on
/// garbage, and say what they skipped; a failure is a `ParseError` naming the file. It also
/// holds the text tools both commands need on untrusted text: `SecretScrubber` (removes
/// tokens, passwords and assertions) and `Pseudonymizer` (stable stand-ins for people and
/// machines), and `LogMessageClassifier`, which turns known log messages into `LogSignal`s for
/// analysis. No parser reads the clock, the network or the environment.
import Foundation
