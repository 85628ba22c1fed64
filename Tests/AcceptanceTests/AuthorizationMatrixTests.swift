import Foundation
import Hummingbird
import Kernel
import Supervision
import Testing
import WebApp

/// Issue 11 §11: every route of `openapi.yaml`, for every role, on data that is not the caller's:
/// no token is 401, and another firm, another department or another region gets 403 or 404 —
/// never the data, never a hint from validating a body it may not send.
@Suite("Authorization matrix: every documented route, every role, on data that is not theirs")
struct AuthorizationMatrixTests {
    struct Document: Decodable {
        struct Operation: Decodable {
            let operationId: String?
            let security: [[String: [String]]]?
        }
        let paths: [String: [String: Operation]]
    }

    struct Route: CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let isPublic: Bool
        var description: String { "\(method) \(path)" }
    }

    static func routes() throws -> [Route] {
        let document = try YAMLFile.decode(Document.self, from: TestApp.root.appendingPathComponent("openapi.yaml"))
        let methods: [String: HTTPRequest.Method] = ["get": .get, "post": .post, "put": .put, "delete": .delete, "patch": .patch]
        return document.paths.flatMap { path, operations in
            operations.compactMap { name, operation in
                methods[name].map { Route(method: $0, path: path, isPublic: operation.security?.isEmpty == true) }
            }
        }.sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
    }

    @Test("every route that needs a user answers 401 without a token, or with a token nobody was given")
    func everySecuredRouteNeedsAUser() async throws {
        let routes = try Self.routes().filter { !$0.isPublic }
        #expect(routes.count > 60, "\(routes.count) secured routes")
        let app = try await TestApp()
        try await app.run { client in
            for route in routes {
                let path = route.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x", options: .regularExpression)
                for token in [nil, "forged-token"] as [String?] {
                    let response = try await client.request(route.method, path, token: token, json: route.method == .get ? nil : "{}")
                    #expect(response.status == .unauthorized, "\(route) with \(token ?? "no token"): \(response.status) \(response.text.prefix(200))")
                }
            }
        }
    }

    @Test("another firm, a reviewer of another department and an inspector of another region get 403 or 404 on every route of a firm's application, project, files, certificate and tasks")
    func outsidersSeeNothing() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let details = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
            let projectID = try #require(details.body?["project"]?["id"]?.string)
            let file = try #require(details.body?["materials"]?.array.compactMap { $0["file"]?.string }.first)
            let number = try #require(issued.certificate["number"]?.string)
            let task = try await app.services.database.read { db in
                try SupervisionRouting.tasks(applicationID: issued.applicationID, in: db).first { $0.region == "420104" }!.id
            }
            // Each path parameter, by the resource its path names, and a value naming nothing.
            let resources: [(prefix: String, value: String, missing: String)] = [
                ("/api/v1/applications/{id}", issued.applicationID, "no-such-application"), ("/api/v1/projects/{id}", projectID, "no-such-project"),
                ("/api/v1/files/{id}", file, "no-such-file"), ("/api/v1/certificates/{number}", number, "420104-2026-ZH-999999"),
                ("/api/v1/supervision/certificates/{number}", number, "420104-2026-ZH-999999"), ("/api/v1/supervision/tasks/{id}", task, "no-such-task"),
            ]
            try await Self.expectNothingToLearn(on: resources, by: ["hanxi", "reviewer-traffic-police", "inspector-cg-wc"], atLeast: 25, in: client)
        }
    }

    /// Every documented route under one of `resources`' prefixes, for each outsider: refused, or
    /// answered exactly as for the value that names nothing (a body it cannot read is unreadable
    /// either way) — never 2xx, nothing to learn.
    static func expectNothingToLearn(on resources: [(prefix: String, value: String, missing: String)], by outsiders: [String], atLeast: Int,
                                     in client: TestApp.Client) async throws {
        let routes = try Self.routes().compactMap { route -> (route: Route, path: String, missing: String)? in
            guard let resource = resources.first(where: { route.path.hasPrefix($0.prefix) }) else { return nil }
            let fill = { (value: String) in route.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: value, options: .regularExpression) }
            return (route, fill(resource.value), fill(resource.missing))
        }
        #expect(routes.count >= atLeast, "\(routes.count) routes on the firm's data")
        for outsider in outsiders {
            let token = try await client.login(outsider)
            for (route, path, missing) in routes {
                let body = route.method == .get ? nil : "{}"
                let response = try await client.request(route.method, path, token: token, json: body)
                let nothing = try await client.request(route.method, missing, token: token, json: body)
                let refused = [.forbidden, .notFound].contains(response.status)
                let indistinguishable = response.status == nothing.status && response.body?["error"]?["code"] == nothing.body?["error"]?["code"]
                    && !(200..<300).contains(response.status.code)
                #expect(refused || indistinguishable,
                        "\(outsider) \(route): \(response.status) \(response.text.prefix(300)) — for nothing: \(nothing.status)")
            }
        }
    }

    @Test("on a firm's waste-disposal permit, another firm, a reviewer of a department not on it and an inspector of a region off its route learn nothing")
    func outsidersSeeNothingOfADisposalPermit() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let permit = try await WasteDisposalTests.issuedPermit(client)
            let number = try #require(permit.certificates.first?["number"]?.string)
            try await Self.expectNothingToLearn(
                on: [("/api/v1/waste-disposal/applications/{id}", permit.id, "no-such-application"),
                     ("/api/v1/applications/{id}", permit.id, "no-such-application"),
                     ("/api/v1/certificates/{number}", number, "420104-2026-CZ-999999-0001")],
                by: ["hanxi", "reviewer-housing", "inspector-cg-wc"], atLeast: 20, in: client)
        }
    }
}
