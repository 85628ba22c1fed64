import Kernel

/// 自选下单: the items a firm picks, checked against the catalog and, for a bundle, its menu rules.
public enum BundleMenu {
    /// - Parameter includeAlways: add the bundle's always-included items instead of refusing
    ///   a choice without them (the notice is friendly; a submission must be explicit).
    /// - Parameter permitted: items the firm already holds on the certificate being added to; the
    ///   menu's rules apply to them and the new choice together, and none may be chosen again.
    public static func choose(_ codes: [String], bundle bundleCode: String?, catalog: Catalog, includeAlways: Bool = false,
                              permitted: [String] = []) throws(ApprovalError) -> [CatalogItem] {
        guard Set(codes).count == codes.count else { throw .invalidField(field: "items", message: "事项重复") }
        for (index, code) in codes.enumerated() where permitted.contains(code) {
            throw .ruleViolated(code: "item-already-permitted", message: "事项 \(code) 已在原证照中，无需再次申请", field: "items[\(index)]")
        }
        let chosen = codes
        var codes = codes + permitted
        let bundle: Bundle?
        if let bundleCode {
            guard let found = catalog.bundles[bundleCode] else { throw .invalidField(field: "bundle", message: "未知组合 \(bundleCode)") }
            bundle = found
            if includeAlways { codes += (found.alwaysIncluded ?? []).filter { !codes.contains($0) } }
        } else {
            bundle = nil
        }
        guard !codes.isEmpty else { throw .invalidField(field: "items", message: "请至少选择一个事项") }
        var items: [CatalogItem] = []
        for (index, code) in codes.enumerated() {
            guard let item = catalog.items[code] else { throw .invalidField(field: "items[\(index)]", message: "未知事项 \(code)") }
            items.append(item)
        }
        guard let bundle else {
            guard permitted.isEmpty else { throw .invalidField(field: "bundle", message: "增项申请须沿用原申请的组合") }
            guard items.allSatisfy({ $0.department == items[0].department }) else {
                throw .ruleViolated(code: "bundle-required", message: "跨部门的多个事项须通过组合（bundle）一并申请", field: "bundle")
            }
            return items
        }
        for (index, code) in codes.enumerated() where !bundle.items.contains(code) {
            throw .ruleViolated(code: "item-not-in-bundle", message: "事项 \(code) 不在“\(bundle.name)”的可选范围内", field: "items[\(index)]")
        }
        for code in bundle.alwaysIncluded ?? [] where !codes.contains(code) {
            throw .ruleViolated(code: "bundle-item-required", message: "“\(bundle.name)”必须包含事项 \(code)", field: "items")
        }
        for rule in bundle.requires ?? [] where codes.contains(rule.item) {
            for needed in rule.requires where !codes.contains(needed) {
                throw .ruleViolated(code: "bundle-item-requires", message: "选择事项 \(rule.item) 须同时选择 \(needed)", field: "items")
            }
        }
        for pair in bundle.conflicts ?? [] where pair.allSatisfy(codes.contains) {
            throw .ruleViolated(code: "bundle-items-conflict", message: "事项 \(pair.joined(separator: " 与 ")) 不能同时申请", field: "items")
        }
        return items.filter { !permitted.contains($0.code) || chosen.contains($0.code) }
            .sorted { bundle.items.firstIndex(of: $0.code)! < bundle.items.firstIndex(of: $1.code)! }
    }
}
