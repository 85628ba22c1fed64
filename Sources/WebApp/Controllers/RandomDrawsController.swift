import CapabilityKit
import Foundation
import Hummingbird
import Kernel
import Mustache
import Supervision

/// 双随机一公开: administrators draw; the draw and, later, its results are public.
struct RandomDrawsController {
    let supervision: SupervisionService
    let catalog: Catalog
    let templates: MustacheLibrary

    static let method = "SplitMix64（种子为公布的十进制整数）；候选证照按编号排序、检查人员按账号排序；依次以拒绝采样取均匀随机数，先部分洗牌（Fisher–Yates）抽取证照，再为每份证照抽取一名检查人员。"

    func register(public router: Router<AppRequestContext>, authenticated: RouterGroup<AuthenticatedContext>) {
        authenticated.post("supervision/random-draws") { request, context -> Response in
            let draw = try await supervision.draw(try await JSON.decode(DrawRequest.self, from: request), by: context.actor)
            return try JSON.response(DrawView(PublishedDraw(draw: draw, tasks: [:]), catalog: catalog), status: .created)
        }
        router.get("api/v1/public/random-draws") { _, _ -> Response in
            try JSON.response(try await supervision.publishedDraws().map { DrawView($0, catalog: catalog) })
        }
        router.get("public/random-draws") { _, _ -> Response in
            let draws = try await supervision.publishedDraws().map { DrawView($0, catalog: catalog) }
            guard let html = templates.render(DrawsPage(draws: draws, method: Self.method, empty: draws.isEmpty), withTemplate: "random-draws") else {
                throw GuideController.TemplateMissing(name: "random-draws")
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }

    struct DrawsPage {
        let draws: [DrawView]
        let method: String
        let empty: Bool
    }

    struct DrawView: Encodable {
        struct PickView: Encodable {
            let certificateNumber: String
            let projectName: String
            let holderName: String
            let inspector: String
            let status: TaskStatus?
            let result: InspectionResult?
            let resultLabel: String
            let closedOn: CivilDate?
        }

        let id: String
        let at: Date
        let drawnOn: CivilDate
        let department: String
        let departmentName: String
        let region: String
        let regionName: String
        let seed: String
        let sampleSize: Int
        let candidates: [String]
        let candidateCount: Int
        let inspectorPool: [String]
        let picks: [PickView]

        init(_ published: PublishedDraw, catalog: Catalog) {
            let draw = published.draw
            id = draw.id
            at = draw.at
            drawnOn = draw.drawnOn
            department = draw.department
            departmentName = catalog.departments[draw.department]?.name ?? draw.department
            region = draw.region
            regionName = catalog.regions[draw.region]?.name ?? draw.region
            seed = draw.seed
            sampleSize = draw.sampleSize
            candidates = draw.candidates
            candidateCount = draw.candidates.count
            inspectorPool = draw.inspectorPool.map(\.name)
            picks = draw.picks.map { pick in
                let task = published.tasks[pick.taskID]
                return PickView(certificateNumber: pick.certificateNumber, projectName: pick.projectName, holderName: pick.holderName,
                                inspector: pick.inspector.name, status: task?.status, result: task?.result,
                                resultLabel: task?.result?.label ?? (task?.status == .cancelled ? "证照已失效，取消检查" : "待检查"),
                                closedOn: task?.closedOn)
            }
        }
    }
}
