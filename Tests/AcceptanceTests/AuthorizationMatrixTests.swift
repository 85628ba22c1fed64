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
            struct RequestBody: Decodable {
                struct Media: Decodable { let example: JSONValue? }
                let content: [String: Media]
            }
            let operationId: String?
            let security: [[String: [String]]]?
            let roles: [Role]?
            let requestBody: RequestBody?

            enum CodingKeys: String, CodingKey {
                case operationId, security, requestBody
                case roles = "x-roles"
            }
        }
        let paths: [String: [String: Operation]]
    }

    struct Route: CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let isPublic: Bool
        /// Who may call it (`x-roles`); nil where an account's role does not decide (public, or a device's token).
        let roles: Set<Role>?
        /// The documented example body, which passes every check but the caller's right to send it.
        let example: String?
        var description: String { "\(method) \(path)" }
    }

    static func routes() throws -> [Route] {
        let document = try YAMLFile.decode(Document.self, from: TestApp.root.appendingPathComponent("openapi.yaml"))
        let methods: [String: HTTPRequest.Method] = ["get": .get, "post": .post, "put": .put, "delete": .delete, "patch": .patch]
        return document.paths.flatMap { path, operations in
            operations.compactMap { name, operation in
                methods[name].map {
                    Route(method: $0, path: path, isPublic: operation.security?.isEmpty == true, roles: operation.roles.map(Set.init),
                          example: operation.requestBody?.content["application/json"]?.example.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) })
                }
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

    @Test("every route that needs an account declares its roles, and every other role is refused before its body is looked at, on the firm's own data")
    func rolesOutsideARouteAreRefused() async throws {
        let routes = try Self.routes().filter { !$0.isPublic && $0.path != "/api/v1/monitoring/noise" }
        let undeclared = routes.filter { $0.roles == nil }.map(\.description)
        #expect(undeclared.isEmpty, "routes without x-roles: \(undeclared)")
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let values = try await Self.pathValues(of: issued, in: app, client)
            let members: [Role: String] = [.applicant: "chongren", .clerk: "clerk", .reviewer: "reviewer-housing", .issuer: "issuer",
                                           .inspector: "inspector-cg-qk", .admin: "admin"]
            var refusals = 0
            for (role, username) in members {
                let token = try await client.login(username)
                for route in routes where !(route.roles ?? []).contains(role) {
                    let response = try await client.request(route.method, Self.fill(route.path, with: values), token: token,
                                                             json: route.method == .get || route.method == .delete ? nil : route.example ?? "{}")
                    #expect([.forbidden, .notFound].contains(response.status), "\(role) \(route): \(response.status) \(response.text.prefix(300))")
                    refusals += 1
                }
            }
            #expect(refusals > 200, "\(refusals) refusals checked")
        }
    }

    @Test("within its roles each caller reads its own data: the firm its application, project, files and certificate, the reviewer its department's, the inspector its region's task and its own photo")
    func ownDataIsAllowed() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            var values = try await Self.pathValues(of: issued, in: app, client)
            let details = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
            let landscapingFile = try #require(details.body?["materials"]?.array.first { $0["material"]?.string == "greenspace-location-map" }?["file"]?.string)
            let landscapingTask = try #require(try await app.services.database.read { db in
                try SupervisionRouting.tasks(applicationID: issued.applicationID, in: db).first { $0.region == "420104" && $0.department == "landscaping" }
            }?.id)
            values["task"] = landscapingTask
            let inspector = try await client.login("inspector-yl-qk")
            let photo = try await client.request(.post, "/api/v1/files", token: inspector,
                                                 raw: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 64), contentType: "image/png")
            let members: [(role: Role, token: String, values: [String: String])] = [
                (.applicant, issued.firm, values), (.clerk, try await client.login("clerk"), values), (.issuer, issued.issuer, values),
                (.admin, try await client.login("admin"), values),
                (.reviewer, try await client.login("reviewer-landscaping"), values.merging(["file": landscapingFile]) { $1 }),
                (.inspector, inspector, values.merging(["file": try #require(photo.body?["id"]?.string)]) { $1 }),
            ]
            // Reads of a waste-disposal permit or a night-work site, and the fleet (a transporter
            // to name), have their own data: their tests read them.
            let capabilityReads = ["/api/v1/waste-disposal/applications/", "/api/v1/night-work/sites/", "/api/v1/waste-disposal/vehicles"]
            let queries = ["/api/v1/projects/{id}/form": "?items=ZJ-SGXK"]
            let reads = try Self.routes().filter { route in
                route.method == .get && !route.isPublic && route.roles != nil && !capabilityReads.contains { route.path.hasPrefix($0) }
            }
            var allowed = 0
            for member in members {
                for route in reads where route.roles!.contains(member.role) {
                    let path = Self.fill(route.path, with: member.values) + (queries[route.path] ?? "")
                    let response = try await client.request(.get, path, token: member.token)
                    #expect(response.status == .ok, "\(member.role) \(route): \(response.status) \(response.text.prefix(300))")
                    allowed += 1
                }
            }
            #expect(allowed > 60, "\(allowed) reads checked")
        }
    }

    /// Each path parameter of the documented routes, named by the resource its path is under, filled
    /// from one issued application (its project, a file, the certificate, a task in 硚口, its firm).
    static func pathValues(of issued: TestApp.Client.Issued, in app: TestApp, _ client: TestApp.Client) async throws -> [String: String] {
        let details = try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
        let task = try await app.services.database.read { db in
            try SupervisionRouting.tasks(applicationID: issued.applicationID, in: db).first { $0.region == "420104" }!.id
        }
        let admin = try await client.login("admin")
        let accounts = try await client.request(.get, "/api/v1/accounts", token: admin)
        let webhook = try await client.request(.post, "/api/v1/webhooks", token: admin, json: #"{"name":"区监管平台","url":"http://127.0.0.1:9/hook"}"#)
        return ["webhook": try #require(webhook.body?["subscription"]?["id"]?.string, "\(webhook.text)"), "application": issued.applicationID, "project": try #require(details.body?["project"]?["id"]?.string),
                "file": try #require(details.body?["materials"]?.array.compactMap { $0["file"]?.string }.first),
                "certificate": try #require(issued.certificate["number"]?.string), "task": task, "firm": TestApp.firmA,
                "account": try #require(accounts.body?.array.first { $0["username"]?.string == "hanxi" }?["id"]?.string)]
    }

    /// `route` with each `{parameter}` replaced by the value for the resource the path names.
    static func fill(_ route: String, with values: [String: String]) -> String {
        let resources = [("/api/v1/applications/", "application"), ("/api/v1/projects/{id}", "project"), ("/api/v1/files/", "file"),
                         ("/api/v1/certificates/", "certificate"), ("/api/v1/supervision/certificates/", "certificate"),
                         ("/api/v1/supervision/tasks/", "task"), ("/api/v1/firms/", "firm"), ("/api/v1/waste-disposal/firms/", "firm"),
                         ("/api/v1/accounts/", "account"), ("/api/v1/webhooks/", "webhook"), ("/api/v1/night-work/sites/", "project"), ("/api/v1/waste-disposal/applications/", "application")]
        let value = resources.first { route.hasPrefix($0.0) }.flatMap { values[$0.1] } ?? "x"
        return route.replacingOccurrences(of: #"\{[^}]+\}"#, with: value, options: .regularExpression)
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
            // A firm's credit and its waste-disposal standing are the bureau's and its own; a site's
            // nights are its district's inspectors'.
            let unregistered = TestApp.uscc("91420106MA4KW0001")
            try await Self.expectNothingToLearn(on: [("/api/v1/firms/{uscc}/credit", TestApp.firmA, unregistered),
                                                     ("/api/v1/waste-disposal/firms/{uscc}", TestApp.firmA, unregistered)],
                                                by: ["hanxi"], atLeast: 2, in: client)
            try await Self.expectNothingToLearn(on: [("/api/v1/waste-disposal/firms/{uscc}", TestApp.firmA, unregistered),
                                                     ("/api/v1/night-work/sites/{projectId}", projectID, "no-such-project")],
                                                by: ["hanxi", "inspector-cg-wc"], atLeast: 2, in: client)
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
