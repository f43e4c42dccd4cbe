import LicensingParsers

/// `manifest.json`: the type lives with every other format in `LicensingParsers`, where the
/// analyser decodes it too; this name keeps `CollectKit.Manifest` for its users.
public typealias Manifest = LicensingParsers.Manifest
