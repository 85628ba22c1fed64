import Foundation

/// Reads a catalog folder (see `Modules/README.md`) and checks it whole, collecting every problem
/// with its file and line rather than stopping at the first.
public enum CatalogLoader {
    public static func load(from directory: URL) throws(InvalidCatalog) -> Catalog {
        var reader = Reader(directory: directory)
        let catalog = reader.read()
        guard reader.issues.isEmpty, let catalog else { throw InvalidCatalog(issues: reader.issues.sorted()) }
        return catalog
    }

    /// Every problem in the folder, sorted by file and line; empty when the catalog is valid.
    public static func validate(directory: URL) -> [CatalogIssue] {
        var reader = Reader(directory: directory)
        _ = reader.read()
        return reader.issues.sorted()
    }
}

private struct DepartmentsFile: Decodable { let departments: [Department] }
private struct RegionsFile: Decodable { let regions: [Region] }
private struct CalendarFile: Decodable {
    struct Holiday: Decodable {
        let name: String
        let from: CivilDate
        let to: CivilDate
        let makeupWorkdays: [CivilDate]?
    }

    let timezone: String
    let years: [Int]
    let warnWithinWorkingDays: Int?
    let holidays: [Holiday]
}

private struct Reader {
    let directory: URL
    var issues: [CatalogIssue] = []

    init(directory: URL) {
        self.directory = directory
    }

    mutating func read() -> Catalog? {
        let departments = readList("departments.yaml", DepartmentsFile.self)?.departments ?? []
        let regions = readList("regions.yaml", RegionsFile.self)?.regions ?? []
        let (calendar, warnWithin) = readCalendar() ?? (nil, 1)
        checkUnique(departments.map(\.id), file: "departments.yaml", list: "departments", what: "部门")
        checkUnique(regions.map(\.code), file: "regions.yaml", list: "regions", what: "行政区划")
        if let document = document("regions.yaml") {
            for (index, region) in regions.enumerated() where !(region.code.count == 6 && region.code.allSatisfy(\.isASCIIDigit)) {
                issues.append(document.issue(at: [.key("regions"), .index(index), .key("code")], "行政区划码 \(region.code) 应为6位数字"))
            }
        }
        let items = readItems(departments: Set(departments.map(\.id)))
        let bundles = readBundles(itemCodes: Set(items.map(\.code)))
        let credit = readCredit()
        let supervision = readSupervisionRules()
        guard let calendar, let credit, let supervision else { return nil }
        return Catalog(items: items, bundles: bundles, departments: departments, regions: regions, calendar: calendar,
                       warnWithinWorkingDays: warnWithin, credit: credit, supervision: supervision)
    }

    // MARK: Files

    func path(_ relative: String) -> String { directory.appendingPathComponent(relative).relativePath }

    mutating func document(_ relative: String) -> YAMLDocument? {
        let url = directory.appendingPathComponent(relative)
        guard let data = try? Data(contentsOf: url) else {
            issues.append(CatalogIssue(file: path(relative), line: 1, message: "无法读取文件"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            issues.append(CatalogIssue(file: path(relative), line: 1, message: "文件不是 UTF-8 编码"))
            return nil
        }
        switch YAMLDocument.parse(text, file: path(relative)) {
        case .success(let document): return document
        case .failure(let issue):
            issues.append(issue)
            return nil
        }
    }

    mutating func readList<T: Decodable>(_ relative: String, _ type: T.Type) -> T? {
        guard let document = document(relative) else { return nil }
        switch document.decode(type) {
        case .success(let value): return value
        case .failure(let issue):
            issues.append(issue)
            return nil
        }
    }

    func yamlFiles(in folder: String) -> [String] {
        let url = directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(folder)/\($0)" }
    }

    mutating func checkUnique(_ values: [String], file: String, list: String, what: String) {
        guard let document = document(file) else { return }
        var seen = Set<String>()
        for (index, value) in values.enumerated() where !seen.insert(value).inserted {
            issues.append(document.issue(at: [.key(list), .index(index)], "\(what) \(value) 重复"))
        }
    }

    // MARK: Calendar

    mutating func readCalendar() -> (WorkingDayCalendar, Int)? {
        guard let document = document("calendar.yaml") else { return nil }
        let file: CalendarFile
        switch document.decode(CalendarFile.self) {
        case .success(let value): file = value
        case .failure(let issue):
            issues.append(issue)
            return nil
        }
        guard let timeZone = TimeZone(identifier: file.timezone) else {
            issues.append(document.issue(at: [.key("timezone")], "未知时区 \(file.timezone)"))
            return nil
        }
        guard let first = file.years.min(), let last = file.years.max(), Set(file.years).count == last - first + 1 else {
            issues.append(document.issue(at: [.key("years")], "years 应为连续的年份"))
            return nil
        }
        var holidays = Set<CivilDate>()
        var makeup = Set<CivilDate>()
        for (index, holiday) in file.holidays.enumerated() {
            let at: [YAMLDocument.PathComponent] = [.key("holidays"), .index(index)]
            guard holiday.from <= holiday.to else {
                issues.append(document.issue(at: at + [.key("to")], "\(holiday.name)：结束日期早于开始日期"))
                continue
            }
            for day in holiday.from.dayNumber...holiday.to.dayNumber {
                let date = CivilDate(dayNumber: day)
                if !(first...last).contains(date.year) {
                    issues.append(document.issue(at: at + [.key("from")], "\(holiday.name)：\(date) 不在 years 范围内"))
                    break
                }
                if !holidays.insert(date).inserted {
                    issues.append(document.issue(at: at + [.key("from")], "\(holiday.name)：\(date) 与其他假期重叠"))
                }
            }
            for (dayIndex, date) in (holiday.makeupWorkdays ?? []).enumerated() {
                if date.weekday <= 5 {
                    issues.append(document.issue(at: at + [.key("makeupWorkdays"), .index(dayIndex)], "\(holiday.name)：调休上班日 \(date) 不是周末"))
                }
                makeup.insert(date)
            }
        }
        let warnWithin = file.warnWithinWorkingDays ?? 1
        if warnWithin < 0 { issues.append(document.issue(at: [.key("warnWithinWorkingDays")], "预警天数不能为负")) }
        return (WorkingDayCalendar(timeZone: timeZone, years: first...last, holidays: holidays, makeupWorkdays: makeup), warnWithin)
    }

    // MARK: Items

    mutating func readItems(departments: Set<String>) -> [CatalogItem] {
        var items: [CatalogItem] = []
        var codes: [String: String] = [:]
        var materials: [String: (material: Material, at: String)] = [:]
        var fields: [String: (field: FormField, at: String)] = [:]
        for relative in yamlFiles(in: "items") {
            guard let document = document(relative) else { continue }
            let item: CatalogItem
            switch document.decode(CatalogItem.self) {
            case .success(let value): item = value
            case .failure(let issue):
                issues.append(issue)
                continue
            }
            let before = issues.count
            check(item, in: document, departments: departments)
            if let first = codes[item.code] {
                issues.append(document.issue(at: [.key("code")], "事项编码 \(item.code) 与 \(first) 重复"))
            } else {
                codes[item.code] = "\(document.file):\(document.line(at: [.key("code")]))"
            }
            for (index, material) in item.materials.enumerated() {
                let at = "\(document.file):\(document.line(at: [.key("materials"), .index(index)]))"
                if let known = materials[material.id], known.material.name != material.name {
                    issues.append(document.issue(at: [.key("materials"), .index(index), .key("name")],
                        "材料编号 \(material.id) 已在 \(known.at) 表示“\(known.material.name)”，此处却是“\(material.name)”"))
                } else if materials[material.id] == nil {
                    materials[material.id] = (material, at)
                }
            }
            for (index, field) in item.fields.enumerated() {
                let at = "\(document.file):\(document.line(at: [.key("fields"), .index(index)]))"
                if let known = fields[field.key], known.field.label != field.label || known.field.type != field.type || known.field.options != field.options {
                    issues.append(document.issue(at: [.key("fields"), .index(index), .key("key")],
                        "表单字段 \(field.key) 已在 \(known.at) 定义为“\(known.field.label)”(\(known.field.type.rawValue))，含义须一致"))
                } else if fields[field.key] == nil {
                    fields[field.key] = (field, at)
                }
            }
            if issues.count == before { items.append(item) }
        }
        return items
    }

    mutating func check(_ item: CatalogItem, in document: YAMLDocument, departments: Set<String>) {
        func report(_ path: [YAMLDocument.PathComponent], _ message: String) {
            issues.append(document.issue(at: path, message))
        }
        if item.code.wholeMatch(of: /[A-Z]{2,6}(-[A-Z0-9]{2,8}){1,3}/) == nil {
            report([.key("code")], "事项编码 \(item.code) 格式不符（如 ZJ-SGXK）")
        }
        let expectedName = "items/\(item.code).yaml"
        if !document.file.hasSuffix(expectedName) {
            report([.key("code")], "文件名应为 \(expectedName)")
        }
        if !departments.contains(item.department) {
            report([.key("department")], "未知部门 \(item.department)")
        }
        if item.modes.isEmpty { report([.key("modes")], "至少需要一种审批方式") }
        if item.legalDays < 1 { report([.key("legalDays")], "法定办结时限应至少为1个工作日") }
        if item.promisedDays < 0 { report([.key("promisedDays")], "承诺办结时限不能为负") }
        if item.promisedDays > item.legalDays {
            report([.key("promisedDays")], "承诺时限 \(item.promisedDays) 个工作日超过法定时限 \(item.legalDays) 个工作日")
        }
        if item.certificate.kind.wholeMatch(of: /[A-Z]{2}/) == nil {
            report([.key("certificate"), .key("kind")], "证照类别应为两个大写字母")
        }
        if let days = item.certificate.validityDays, days < 1 {
            report([.key("certificate"), .key("validityDays")], "有效期应至少为1天")
        }
        var materialIDs = Set<String>()
        for (index, material) in item.materials.enumerated() where !materialIDs.insert(material.id).inserted {
            report([.key("materials"), .index(index), .key("id")], "材料编号 \(material.id) 在本事项中重复")
        }
        for (index, material) in item.materials.enumerated() {
            guard let threshold = material.requiredWhen else { continue }
            let numeric: Set<FormField.FieldType> = [.number, .areaM2, .moneyYuan]
            if !item.fields.contains(where: { $0.key == threshold.field && numeric.contains($0.type) }) {
                report([.key("materials"), .index(index), .key("requiredWhen"), .key("field")], "requiredWhen 须引用本事项的数值字段，\(threshold.field) 不是")
            }
        }
        var fieldKeys = Set<String>()
        for (index, field) in item.fields.enumerated() {
            let at: [YAMLDocument.PathComponent] = [.key("fields"), .index(index)]
            if !fieldKeys.insert(field.key).inserted { report(at + [.key("key")], "表单字段 \(field.key) 在本事项中重复") }
            if field.type == .choice, (field.options ?? []).isEmpty { report(at + [.key("options")], "选择字段 \(field.key) 需要 options") }
            if field.type != .choice, field.options != nil { report(at + [.key("options")], "只有 choice 类型的字段可以有 options") }
        }
        for (index, route) in (item.supervision ?? []).enumerated() {
            let at: [YAMLDocument.PathComponent] = [.key("supervision"), .index(index)]
            if !departments.contains(route.department) { report(at + [.key("department")], "未知部门 \(route.department)") }
            if route.dueDays < 1 { report(at + [.key("dueDays")], "监管任务期限应至少为1个工作日") }
            if route.checklist.isEmpty { report(at + [.key("checklist")], "检查清单不能为空") }
            var entryIDs = Set<String>()
            for (entry, checked) in route.checklist.enumerated() where !entryIDs.insert(checked.id).inserted {
                report(at + [.key("checklist"), .index(entry), .key("id")], "检查项 \(checked.id) 重复")
            }
        }
        if (item.supervision ?? []).filter(\.isFirstInspection).count > 1 {
            report([.key("supervision")], "每个事项至多一个首次检查任务（firstInspection）")
        }
        var tasks = Set<String>()
        for (index, route) in (item.supervision ?? []).enumerated() where !tasks.insert(route.task).inserted {
            report([.key("supervision"), .index(index), .key("task")], "监管任务 \(route.task) 在本事项中重复")
        }
    }

    // MARK: Supervision rules

    mutating func readSupervisionRules() -> SupervisionRules? {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("supervision.yaml").path) else { return .standard }
        guard let rules = readList("supervision.yaml", SupervisionRules.self), let document = document("supervision.yaml") else { return nil }
        guard rules.maxRectificationDays >= 1 else {
            issues.append(document.issue(at: [.key("maxRectificationDays")], "整改期限上限应至少为1天"))
            return nil
        }
        if let finding = rules.scanFinding, finding.dueDays < 1 {
            issues.append(document.issue(at: [.key("scanFinding"), .key("dueDays")], "处置期限应至少为1个工作日"))
            return nil
        }
        return rules
    }

    // MARK: Credit

    mutating func readCredit() -> CreditRules? {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("credit.yaml").path) else { return .neutral }
        guard let document = document("credit.yaml") else { return nil }
        let rules: CreditRules
        switch document.decode(CreditRules.self) {
        case .success(let value): rules = value
        case .failure(let issue):
            issues.append(issue)
            return nil
        }
        let before = issues.count
        let known = Set(CreditEventKind.allCases.map(\.rawValue))
        for kind in rules.points.keys.sorted() where !known.contains(kind) {
            issues.append(document.issue(at: [.key("points"), .key(kind)],
                                         "未知信用事件 \(kind)（可用：\(CreditEventKind.allCases.map(\.rawValue).joined(separator: ", "))）"))
        }
        if rules.levels.isEmpty { issues.append(document.issue(at: [.key("levels")], "至少需要一个信用等级")) }
        for index in rules.levels.indices.dropFirst() where rules.levels[index].minScore >= rules.levels[index - 1].minScore {
            issues.append(document.issue(at: [.key("levels"), .index(index), .key("minScore")], "信用等级应按 minScore 从高到低排列"))
        }
        checkUnique(rules.levels.map(\.level), file: "credit.yaml", list: "levels", what: "信用等级")
        for (key, level) in [("commitment", rules.gates?.commitment), ("timeoutDefault", rules.gates?.timeoutDefault)] {
            if let level, !rules.levels.contains(where: { $0.level == level }) {
                issues.append(document.issue(at: [.key("gates"), .key(key)], "未知信用等级 \(level)"))
            }
        }
        if rules.windowDays < 1 { issues.append(document.issue(at: [.key("windowDays")], "统计期应至少为1天")) }
        if rules.startScore > rules.maxScore { issues.append(document.issue(at: [.key("startScore")], "初始分不能高于 maxScore")) }
        return issues.count == before ? rules : nil
    }

    // MARK: Bundles

    mutating func readBundles(itemCodes: Set<String>) -> [Bundle] {
        var bundles: [Bundle] = []
        for relative in yamlFiles(in: "bundles") {
            guard let document = document(relative) else { continue }
            let bundle: Bundle
            switch document.decode(Bundle.self) {
            case .success(let value): bundle = value
            case .failure(let issue):
                issues.append(issue)
                continue
            }
            let before = issues.count
            func checkKnown(_ code: String, at path: [YAMLDocument.PathComponent]) {
                if !itemCodes.contains(code) { issues.append(document.issue(at: path, "组合 \(bundle.code) 引用了不存在的事项 \(code)")) }
            }
            for (index, code) in bundle.items.enumerated() { checkKnown(code, at: [.key("items"), .index(index)]) }
            for (index, code) in (bundle.alwaysIncluded ?? []).enumerated() where !bundle.items.contains(code) {
                issues.append(document.issue(at: [.key("alwaysIncluded"), .index(index)], "必选事项 \(code) 不在 items 中"))
            }
            for (index, rule) in (bundle.requires ?? []).enumerated() {
                for code in [rule.item] + rule.requires where !bundle.items.contains(code) {
                    issues.append(document.issue(at: [.key("requires"), .index(index)], "依赖规则中的事项 \(code) 不在 items 中"))
                }
            }
            for (index, pair) in (bundle.conflicts ?? []).enumerated() {
                if pair.count != 2 || pair.contains(where: { !bundle.items.contains($0) }) {
                    issues.append(document.issue(at: [.key("conflicts"), .index(index)], "互斥规则应为 items 中的两个事项"))
                }
            }
            if let kind = bundle.certificate?.kind, kind.wholeMatch(of: /[A-Z]{2}/) == nil {
                issues.append(document.issue(at: [.key("certificate"), .key("kind")], "证照类别应为两个大写字母"))
            }
            if issues.count == before { bundles.append(bundle) }
        }
        return bundles
    }
}
