import Foundation
import Yams

/// Reads a YAML file into a value, for modules whose data files (templates, layouts) are YAML.
public enum YAMLFile {
    public static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        try YAMLDecoder().decode(type, from: String(contentsOf: url, encoding: .utf8))
    }
}
