import Foundation
import LicensingModel
import XMLKit

/// Reads `FeatureLevelSelector.xml`: `<FeatureLevelSelector><Product Id Name DefaultFeature/>…`
/// (CLIENT-MODEL §5).
public enum FeatureLevelSelectorParser {
    /// The default feature level of each product; products without a numeric id are skipped.
    public static func parse(_ data: Data, file: String) throws -> Parsed<[FeatureLevelDefault]> {
        let root: XMLElement
        do {
            guard let element = try XMLPullReader(data: data, name: file).readElement() else {
                throw ParseError(.empty, file: file, "the Feature Level Selector file has no XML element")
            }
            root = element
        } catch let error as XMLError {
            throw ParseError(.xml, file: file, line: error.line, "not well-formed XML: \(error.message)")
        }
        var defaults: [FeatureLevelDefault] = []
        var warnings: [ParseError] = []
        for product in products(in: root) {
            let rawId = DotNetConfigParser.attribute(product, "Id")
                ?? DotNetConfigParser.attribute(product, "ProductId") ?? ""
            guard let productId = Int(rawId.trimmed()) else {
                warnings.append(ParseError(.unrecognized, file: file, line: product.line,
                                           "a Product whose Id \"\(rawId)\" is not a number"))
                continue
            }
            let feature = DotNetConfigParser.attribute(product, "DefaultFeature")
                ?? product.child("DefaultFeature")?.text.trimmed(.whitespacesAndNewlines)
            defaults.append(FeatureLevelDefault(
                productId: productId, name: DotNetConfigParser.attribute(product, "Name"),
                defaultFeature: feature, source: SourceRef(file: file, line: product.line)))
        }
        return Parsed(value: defaults, warnings: warnings)
    }

    /// `Product` elements at any depth (some versions group them).
    private static func products(in element: XMLElement) -> [XMLElement] {
        element.children.flatMap { child in child.name == "Product" ? [child] : products(in: child) }
    }
}
