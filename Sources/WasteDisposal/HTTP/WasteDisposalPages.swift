import Approval
import CapabilityKit
import Certificates
import Foundation
import Kernel
import Supervision

/// A choice in a select or a set of checkboxes.
struct PageOption {
    let value: String
    let label: String
    let selected: Bool
}

/// 一键申报 in the browser (`waste-apply`): the firm's projects, the waste, the route from the
/// project's district through the regions ticked to the disposal region, the site from the
/// register, the transporter and its vehicles, the validity, the contact and the materials. After
/// a refusal the form comes back as posted, with the service's message beside its field.
struct DisposalApplyPage {
    struct Field {
        let value: String
        let error: String?
    }

    static let title = "申请建筑垃圾处置核准（随车电子证）"

    let frame: PageFrame
    let title = Self.title
    let action: String
    let hasProjects: Bool
    let projects: [PageOption]
    let projectError: String?
    let origin: String
    let wasteTypes: [PageOption]
    let wasteTypeError: String?
    let volume: Field
    let transit: [PageOption]
    let disposalRegions: [PageOption]
    let routeError: String?
    let sites: [PageOption]
    let siteError: String?
    let transporterName: Field
    let transporterUscc: Field
    let vehicles: String
    let vehicleErrors: [String]
    let hasVehicleErrors: Bool
    let validFrom: Field
    let validTo: Field
    let maxValidityMonths: Int
    let contactName: Field
    let contactPhone: Field
    let materials: [MaterialUploads.Input]
    let materialsError: String?
    let generalError: String?

    /// - Parameters:
    ///   - vehicleProblems: the vehicle lines the page found bad before asking the service.
    init(frame: PageFrame, action: String, projects: [Project], chosen: String?, posted: DisposalApplyForm?, lines: VehicleLines?,
         refusal: FormRefusal?, vehicleProblems: [String] = [], sites: [SiteStanding], rules: WasteDisposalRules, bundleItems: [String],
         catalog: Catalog, today: CivilDate) {
        self.frame = frame
        self.action = action
        let regionName = { (code: String) in catalog.regions[code]?.name ?? code }
        hasProjects = !projects.isEmpty
        let projectID = posted?.projectId ?? chosen ?? (projects.count == 1 ? projects[0].id : nil)
        self.projects = projects.map { PageOption(value: $0.id, label: "\($0.name)（\(regionName($0.district))）", selected: $0.id == projectID) }
        origin = projects.first { $0.id == projectID }.map { regionName($0.district) } ?? "所选项目所在区"
        wasteTypes = rules.wasteTypes.map { PageOption(value: $0, label: $0, selected: $0 == posted?.wasteType) }
        let regions = catalog.regions.values.sorted { $0.code < $1.code }
        let ticked = Set(posted?.transit ?? [])
        transit = regions.map { PageOption(value: $0.code, label: $0.name, selected: ticked.contains($0.code)) }
        disposalRegions = regions.map { PageOption(value: $0.code, label: $0.name, selected: $0.code == posted?.disposalRegion) }
        self.sites = sites.map { standing in
            PageOption(value: standing.site.id, label: "\(standing.site.name)（\(standing.regionName)，受纳\(standing.site.accepts.joined(separator: "、"))，"
                           + "剩余容量 \(VehicleDetails.format(standing.remainingM3)) 立方米）", selected: standing.site.id == posted?.disposalSite)
        }
        maxValidityMonths = rules.maxValidityMonths
        vehicles = posted?.vehicles ?? ""

        // Each of the form's fields by the name the service's refusal gives it.
        let slot = refusal.map { refusal in [refusal.field, refusal.key].compactMap { $0 }.joined(separator: ".") }
        let error = { (name: String) in slot == name ? refusal?.message : nil }
        let field = { (name: String, value: String?) in Field(value: value ?? "", error: error(name)) }
        projectError = error("projectId")
        wasteTypeError = error("wasteType")
        volume = field("volumeM3", posted?.volumeM3)
        routeError = refusal?.beside("route")
        siteError = error("disposalSite")
        transporterName = field("transporter.name", posted?.transporterName)
        transporterUscc = field("transporter.uscc", posted?.transporterUscc)
        vehicleErrors = vehicleProblems + (refusal?.field == "vehicles" ? [lines.map { $0.problem(refusal!) } ?? refusal!.message] : [])
        hasVehicleErrors = !vehicleErrors.isEmpty
        validFrom = field("validFrom", posted?.validFrom ?? today.description)
        validTo = field("validTo", posted?.validTo)
        contactName = field("contact.name", posted?.contactName)
        contactPhone = field("contact.phone", posted?.contactPhone)
        let notice = CombinedNotice(items: bundleItems.compactMap { catalog.items[$0] }, bundle: rules.bundle)
        let uploads = MaterialUploads(notice, uploads: posted?.uploads ?? [], refusal: refusal, catalog: catalog)
        (materials, materialsError) = (uploads.materials, uploads.materialsError)
        let shown = ["projectId", "wasteType", "volumeM3", "route", "disposalSite", "transporter.name", "transporter.uscc", "vehicles", "validFrom",
                     "validTo", "contact.name", "contact.phone"]
        let placed = uploads.placed || refusal?.field == "route" || refusal?.field == "vehicles" || slot.map(shown.contains) == true
        generalError = placed ? nil : refusal?.message
    }
}

/// The office's view of one disposal application (`waste-trips`): the three steps and where it
/// stands, the vehicles, every trip with its scans (open ones marked), and the volume carried
/// against the approved and the received.
struct DisposalTripsPage {
    struct Step {
        let number: Int
        let name: String
        let done: Bool
        let current: Bool
    }

    struct Review {
        let item: String
        let department: String
        let status: String
        let tone: String
    }

    struct Condition {
        let title: String
        let region: String
        let state: String
        let met: Bool
    }

    struct VehicleLine {
        let plate: String
        let certificate: String
        let status: String
        let capacity: String
        let trips: Int
    }

    struct TripLine {
        let plate: String
        let capacity: String
        let opened: String
        let closed: String
        let open: Bool
        let scans: [String]
    }

    struct RegionCount {
        let region: String
        let scans: Int
    }

    struct TaskLine {
        let title: String
        let region: String
        let state: String
        let overdue: Bool
    }

    /// Where along the route a scan was made, as this page names the route's three parts.
    static let checkpoints = ["site": "工地", "origin": "出土口", "transit": "途中检查", "disposal": "消纳场"]

    let frame: PageFrame
    let applicationId: String
    let applicationHref: String?
    let steps: [Step]
    let reviews: [Review]
    let conditions: [Condition]
    let hasConditions: Bool
    let wasteType: String
    let route: String
    let site: String
    let validity: String
    let approved: String
    let carried: String
    let confirmed: String
    let overVolume: Bool
    let overBy: String
    let vehicles: [VehicleLine]
    let hasVehicles: Bool
    let trips: [TripLine]
    let hasTrips: Bool
    let openTrips: Int
    let hasOpenTrips: Bool
    let scansByRegion: [RegionCount]
    let hasScans: Bool
    let tasks: [TaskLine]
    let hasTasks: Bool

    /// The trips' pager: the list pages by the API's cursor, the figures above it count every trip.
    let pager: Pager

    init(frame: PageFrame, actor: Actor, trips view: TripsView, progress: DisposalApplicationResponse, catalog: Catalog,
         paging: PageLinks, next: Kernel.Cursor?) {
        let (timeZone, plan) = (catalog.calendar.timeZone, progress.plan)
        let regionName = { (code: String) in catalog.regions[code]?.name ?? code }
        let departmentName = { (code: String) in catalog.departments[code]?.name ?? code }
        let volume = { (value: Double) in VehicleDetails.format(value) + " 立方米" }
        self.frame = frame
        applicationId = view.applicationId
        applicationHref = actor.role == .applicant ? "/firm/applications/\(view.applicationId)" : nil
        steps = progress.steps.steps.map {
            Step(number: $0.number, name: $0.name, done: $0.done, current: !$0.done && $0.number == progress.steps.current)
        }
        reviews = progress.steps.reviews.map { review in
            let (status, tone) = ItemStatus(rawValue: review.status).map(PageText.itemStatus) ?? (review.status, "")
            return Review(item: catalog.items[review.item]?.name ?? review.item, department: departmentName(review.department), status: status, tone: tone)
        }
        conditions = progress.steps.conditions.map { condition in
            let state = condition.metOn.map { "已于\(PageText.day($0))由\(condition.metBy ?? "")确认" } ?? "待确认，应于\(PageText.day(condition.dueOn))前确认"
            return Condition(title: condition.title, region: regionName(condition.region), state: state, met: condition.metAt != nil)
        }
        hasConditions = !conditions.isEmpty
        wasteType = plan.wasteType
        route = (["出土 " + regionName(plan.route.origin)] + plan.route.transit.map { "过境 " + regionName($0) } + ["消纳 " + regionName(plan.route.disposal)])
            .joined(separator: " → ")
        site = progress.disposalSite.map { "\($0.name)（\($0.address)）" } ?? plan.disposalSite
        validity = "\(PageText.day(plan.validFrom)) 至 \(PageText.day(plan.validTo))"
        approved = volume(view.volume.approvedM3)
        carried = volume(view.volume.carriedM3)
        confirmed = volume(view.volume.confirmedM3)
        overVolume = view.volume.carriedM3 > view.volume.approvedM3
        overBy = volume(max(0, view.volume.carriedM3 - view.volume.approvedM3))
        vehicles = view.vehicles.map { line in
            VehicleLine(plate: line.plate, certificate: line.certificate, status: CertificateStatus(rawValue: line.status)?.label ?? line.status,
                        capacity: volume(line.capacityM3), trips: line.trips)
        }
        hasVehicles = !vehicles.isEmpty
        trips = view.trips.map { trip in
            TripLine(plate: trip.plate, capacity: volume(trip.capacityM3), opened: PageText.moment(trip.openedAt, in: timeZone),
                     closed: trip.closedAt.map { PageText.moment($0, in: timeZone) } ?? "未闭合", open: trip.closedAt == nil,
                     scans: trip.scans.map { scan in
                         let place = Self.checkpoints[scan.checkpoint] ?? scan.checkpoint
                         return "\(PageText.moment(scan.at, in: timeZone)) \(regionName(scan.region)) \(place)" + (scan.valid ? "" : "（证无效）")
                     })
        }
        pager = Pager(firstPage: paging.firstPage, nextPage: next.map(paging.address))
        hasTrips = !pager.isEmpty(trips)
        openTrips = view.openTrips
        hasOpenTrips = view.openTrips > 0
        scansByRegion = plan.route.regions.map { RegionCount(region: regionName($0), scans: view.scansByRegion[$0] ?? 0) }
            + view.scansByRegion.filter { !plan.route.contains($0.key) }.sorted { $0.key < $1.key }
            .map { RegionCount(region: regionName($0.key) + "（路线外）", scans: $0.value) }
        hasScans = !view.scansByRegion.isEmpty
        tasks = view.supervision.map { task in
            let status = TaskStatus(rawValue: task.status)
            let state = task.result.flatMap { InspectionResult(rawValue: $0)?.label }
                ?? (status == .open || status == .claimed ? "\(status!.label)，应于\(PageText.day(task.dueOn))前检查" : status?.label ?? task.status)
            return TaskLine(title: task.title, region: regionName(task.region), state: state, overdue: task.overdue)
        }
        hasTasks = !tasks.isEmpty
    }
}

/// The disposal region's queue (`waste-confirmations`): each application it has yet to confirm,
/// soonest due first, what it is asked to take, and a button that confirms it.
struct DisposalConfirmationsPage {
    struct Row {
        let applicationId: String
        let dueOn: String
        let overdue: Bool
        let wasteType: String
        let volume: String
        let route: String
        let site: String
        let validity: String
        let vehicles: Int
    }

    let frame: PageFrame
    let notice: String?
    let error: String?
    let rows: [Row]
    let hasRows: Bool
    let pager: Pager

    init(frame: PageFrame, page: Page<PendingConfirmation>, paging: PageLinks, notice: String?,
         error: String?, catalog: Catalog, today: CivilDate) {
        let regionName = { (code: String) in catalog.regions[code]?.name ?? code }
        self.frame = frame
        self.notice = notice
        self.error = error
        rows = page.items.map { pending in
            let plan = pending.plan
            return Row(applicationId: pending.applicationId, dueOn: PageText.day(pending.dueOn),
                       overdue: CivilDate(pending.dueOn).map { $0 < today } ?? false, wasteType: plan.wasteType,
                       volume: VehicleDetails.format(plan.volumeM3) + " 立方米",
                       route: ([plan.route.origin] + plan.route.transit + [plan.route.disposal]).map(regionName).joined(separator: " → "),
                       site: pending.disposalSite?.name ?? plan.disposalSite,
                       validity: "\(PageText.day(plan.validFrom)) 至 \(PageText.day(plan.validTo))", vehicles: plan.vehicles.count)
        }
        hasRows = !rows.isEmpty
        pager = paging.pager(below: page)
    }
}
