import Foundation

/// A capability's own part of the catalog, `Modules/<capability>/`, read with the same FILE:LINE
/// reporting as the rest: every problem is collected, none stops the reading.
public struct CatalogSection {
    /// The catalog folder (`Modules/`).
    public let directory: URL
    /// The capability's folder inside it.
    public let name: String
    public private(set) var issues: [CatalogIssue] = []

    public init(directory: URL, name: String) {
        self.directory = directory
        self.name = name
    }

    /// The YAML files of the section, sorted; none when the folder does not exist.
    public func files() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(name).path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    /// `Modules/<name>/<file>` decoded as `T`, with its document for reporting later problems at
    /// their line; nil (and the problem recorded) when it cannot be read.
    public mutating func read<T: Decodable>(_ file: String, as type: T.Type) -> (value: T, document: YAMLDocument)? {
        let relative = "\(name)/\(file)"
        let path = directory.appendingPathComponent(relative).relativePath
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(relative).path) else {
            issues.append(CatalogIssue(file: path, line: 1, message: "无法读取文件"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            issues.append(CatalogIssue(file: path, line: 1, message: "文件不是 UTF-8 编码"))
            return nil
        }
        let document: YAMLDocument
        switch YAMLDocument.parse(text, file: path) {
        case .success(let parsed): document = parsed
        case .failure(let issue):
            issues.append(issue)
            return nil
        }
        switch document.decode(type) {
        case .success(let value): return (value, document)
        case .failure(let issue):
            issues.append(issue)
            return nil
        }
    }

    public mutating func report(_ document: YAMLDocument, at path: [YAMLDocument.PathComponent], _ message: String) {
        issues.append(document.issue(at: path, message))
    }

    /// Throws every problem recorded, sorted, if there was any.
    public func check() throws(InvalidCatalog) {
        guard issues.isEmpty else { throw InvalidCatalog(issues: issues.sorted()) }
    }
}
