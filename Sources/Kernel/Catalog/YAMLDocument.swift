import Foundation
import Yams

/// A parsed YAML file that remembers where each value came from, so a problem found after
/// decoding can still be reported with its line.
public struct YAMLDocument {
    public enum PathComponent: Sendable {
        case key(String)
        case index(Int)
    }

    public let file: String
    let root: Node

    /// Parses `text`; a syntax error becomes an issue with its line.
    static func parse(_ text: String, file: String) -> Result<YAMLDocument, CatalogIssue> {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                return .failure(CatalogIssue(file: file, line: 1, message: "文件为空"))
            }
            return .success(YAMLDocument(file: file, root: root))
        } catch let error as YamlError {
            return .failure(CatalogIssue(file: file, line: error.line ?? 1, message: "YAML 格式错误：\(error.problem)"))
        } catch {
            return .failure(CatalogIssue(file: file, line: 1, message: "YAML 格式错误：\(error)"))
        }
    }

    /// Decodes the whole document; a missing key or wrong type becomes an issue at its line.
    public func decode<T: Decodable>(_ type: T.Type) -> Result<T, CatalogIssue> {
        do {
            return .success(try YAMLDecoder().decode(type, from: root))
        } catch let error as DecodingError {
            return .failure(issue(for: error))
        } catch {
            return .failure(issue(at: [], "无法读取：\(error)"))
        }
    }

    public func issue(at path: [PathComponent], _ message: String) -> CatalogIssue {
        CatalogIssue(file: file, line: line(at: path), message: message)
    }

    /// The line of the deepest node along `path` that exists.
    public func line(at path: [PathComponent]) -> Int {
        var node = root
        for component in path {
            let next: Node?
            switch component {
            case .key(let key): next = node.mapping?[key]
            case .index(let index):
                guard let sequence = node.sequence, sequence.indices.contains(index) else { next = nil; break }
                next = sequence[index]
            }
            guard let next else { break }
            node = next
        }
        return node.mark?.line ?? 1
    }

    private func issue(for error: DecodingError) -> CatalogIssue {
        let (context, message): (DecodingError.Context, String) = switch error {
        case .keyNotFound(let key, let context): (context, "缺少 \(key.stringValue)")
        case .typeMismatch(let type, let context): (context, "\(Self.path(context.codingPath)) 的类型应为 \(type)")
        case .valueNotFound(let type, let context): (context, "\(Self.path(context.codingPath)) 缺少 \(type) 值")
        case .dataCorrupted(let context): (context, "\(Self.path(context.codingPath)) 无效：\(context.debugDescription)")
        @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "无法读取")
        }
        let components = context.codingPath.map { key in
            key.intValue.map(PathComponent.index) ?? .key(key.stringValue)
        }
        return issue(at: components, message)
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "重复的键 \(duplicates.joined(separator: ", "))"
        default: "\(self)"
        }
    }
}
