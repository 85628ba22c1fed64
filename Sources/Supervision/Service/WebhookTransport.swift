import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What one POST to a receiver came back with: its status, or why there was none.
public enum TransportResult: Sendable, Equatable {
    case status(Int)
    case failed(String)
}

public protocol WebhookTransport: Sendable {
    func post(_ body: Data, to url: String, headers: [(String, String)], timeout: Duration) async -> TransportResult
}

/// POSTs over AsyncHTTPClient's shared client (connection pooling, keep-alive).
public struct HTTPWebhookTransport: WebhookTransport {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func post(_ body: Data, to url: String, headers: [(String, String)], timeout: Duration) async -> TransportResult {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let seconds = Int64(timeout.components.seconds)
            let response = try await client.execute(request, timeout: .seconds(max(1, seconds)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return .status(Int(response.status.code))
        } catch {
            return .failed(String(describing: error))
        }
    }
}
