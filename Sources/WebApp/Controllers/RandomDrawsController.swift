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
            let draw = try await supervision.commitDraw(try await JSON.decode(DrawRequest.self, from: request), by: context.actor)
            return try JSON.response(DrawView(PublishedDraw(draw: draw, tasks: [:], revealed: false), catalog: catalog, showPicks: false), status: .created)
        }
        // The organiser sees the picks it made (each inspector sees its own task); the seed stays secret.
        authenticated.post("supervision/random-draws/:id/picks") { _, context -> Response in
            let draw = try await supervision.makePicks(of: try context.parameters.require("id"), by: context.actor)
            return try JSON.response(DrawView(PublishedDraw(draw: draw, tasks: [:], revealed: false), catalog: catalog, showPicks: true))
        }
        router.get("api/v1/public/random-draws") { request, _ -> Response in
            let draws = try await supervision.publishedDraws(page: try request.pageRequest(keyCount: SupervisionService.drawsKeyCount))
            return try JSON.response(draws.map { DrawView($0, catalog: catalog, showPicks: $0.revealed) }, for: request)
        }
        // The page shows the latest draws, as many as the API's first page.
        router.get("public/random-draws") { _, _ -> Response in
            let draws = try await supervision.publishedDraws().items.map { DrawView($0, catalog: catalog, showPicks: $0.revealed) }
            return try GuideController.publicPage("random-draws", DrawsPage(draws: draws, method: Self.method, empty: draws.isEmpty), templates: templates)
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
        /// `committed`, `drawn`, or `revealed` (every picked inspection done).
        let status: String
        let statusLabel: String
        /// SHA-256 (hex) of `shenguan-random-draw/v1|id|seed|salt`, public from the start.
        let commitment: String?
        /// Only once revealed.
        let seed: String?
        let salt: String?
        let sampleSize: Int
        let candidates: [String]
        let candidateCount: Int
        let inspectorPool: [String]
        let pickCount: Int
        /// Only once revealed (and to the organiser who made them).
        let picks: [PickView]
        let hasPicks: Bool

        init(_ published: PublishedDraw, catalog: Catalog, showPicks: Bool) {
            let draw = published.draw
            id = draw.id
            at = draw.at
            drawnOn = draw.drawnOn
            department = draw.department
            departmentName = catalog.departments[draw.department]?.name ?? draw.department
            region = draw.region
            regionName = catalog.regions[draw.region]?.name ?? draw.region
            (status, statusLabel) = published.revealed ? ("revealed", "检查完成，公开随机种子与结果")
                : draw.status == .committed ? ("committed", "已公布随机种子的哈希，尚未抽取") : ("drawn", "已抽取，检查完成后公开")
            commitment = draw.commitment
            seed = published.revealed ? draw.seed : nil
            salt = published.revealed ? draw.salt : nil
            sampleSize = draw.sampleSize
            candidates = draw.candidates
            candidateCount = draw.candidates.count
            inspectorPool = draw.inspectorPool.map(\.name)
            pickCount = draw.picks.count
            picks = !showPicks ? [] : draw.picks.map { pick in
                let task = pick.taskID.flatMap { published.tasks[$0] }
                let label = pick.taskID == nil || task?.status == .cancelled ? "证照已失效，未检查" : "待检查"
                return PickView(certificateNumber: pick.certificateNumber, projectName: pick.projectName, holderName: pick.holderName,
                                inspector: pick.inspector.name, status: task?.status, result: task?.result,
                                resultLabel: task?.result?.label ?? label, closedOn: task?.closedOn)
            }
            hasPicks = !picks.isEmpty
        }
    }
}
