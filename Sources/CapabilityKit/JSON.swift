import Foundation
import Hummingbird
import Kernel

/// Request parsing errors, named by field.
public enum RequestError: DomainError {
    case malformed(field: String?, message: String)

    public var kind: DomainErrorKind { .malformed }
    public var code: String { "malformed" }
    public var message: String {
        switch self {
        case .malformed(_, let message): message
        }
    }
    public var field: String? {
        switch self {
        case .malformed(let field, _): field
        }
    }
}

public enum JSON {
    public static let timeZone = PublishedJSON.timeZone

    public static var encoder: JSONEncoder { PublishedJSON.encoder }

    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes a JSON body; a decoding failure becomes a 400 naming the field at fault.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 1_048_576) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else { throw RequestError.malformed(field: nil, message: "请求体为空，应为 JSON") }
        let body = Data(buffer.readableBytesView)
        let decoded: T
        do {
            decoded = try JSONDecoder().decode(type, from: body)
        } catch let DecodingError.keyNotFound(key, context) {
            throw RequestError.malformed(field: path(context.codingPath + [key]), message: "缺少字段 \(path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw RequestError.malformed(field: nil, message: "请求体应为 JSON 对象")
        } catch let DecodingError.valueNotFound(_, context) where context.codingPath.isEmpty {
            throw RequestError.malformed(field: nil, message: "请求体应为 JSON 对象")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw RequestError.malformed(field: path(context.codingPath), message: "字段 \(path(context.codingPath)) 的类型不正确")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw RequestError.malformed(field: path(context.codingPath), message: "字段 \(path(context.codingPath)) 无效：\(context.debugDescription)")
        } catch {
            throw RequestError.malformed(field: nil, message: "请求体不是有效的 JSON")
        }
        try refuseUnprintable(in: body)
        return decoded
    }

    public static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }
}
