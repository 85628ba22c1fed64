import Approval
import Benchmark
import BenchmarkSupport
import Foundation
import Kernel

// 一次告知 and 一表申请 for every combination the 一证制 menu allows: each subset of the bundle's
// 8 items is put to `BundleMenu.choose` (the menu's always / requires / conflicts rules); for
// every accepted one the combined notice (each material once, with the items needing it) and the
// merged form (each shared field once) are computed, as `GET /api/v1/bundles/{bundle}/notice` and
// `POST /api/v1/applications` do.
//
// "NoticeAllCombinations"  all subsets: menu check + notice + merged form for the accepted ones.
// "MenuCheckAllSubsets"    the menu check alone over the same subsets: the baseline.
// One iteration covers the whole menu; see README.md for the numbers.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .microseconds,
                                           warmupIterations: 5, maxDuration: .seconds(5), maxIterations: 2_000)

    Benchmark("NoticeAllCombinations") { benchmark, menu in
        var materials = 0
        for codes in menu.subsets {
            guard let items = try? BundleMenu.choose(codes, bundle: menu.bundle, catalog: menu.catalog) else { continue }
            let notice = CombinedNotice(items: items, bundle: menu.bundle)
            materials += notice.materials.count + MergedForm.fields(for: items).count
        }
        blackHole(materials)
    } setup: {
        try Menu()
    }

    Benchmark("MenuCheckAllSubsets") { benchmark, menu in
        var accepted = 0
        for codes in menu.subsets where (try? BundleMenu.choose(codes, bundle: menu.bundle, catalog: menu.catalog)) != nil {
            accepted += 1
        }
        blackHole(accepted)
    } setup: {
        try Menu()
    }
}

/// Every non-empty subset of the comprehensive-permit menu.
struct Menu: Sendable {
    let bundle = "comprehensive-permit"
    let catalog: Catalog
    let subsets: [[String]]

    init() throws {
        catalog = try CatalogLoader.load(from: catalogDirectory)
        guard let items = catalog.bundles[bundle]?.items else { throw BenchmarkFailure("no \(bundle) in the catalog") }
        subsets = (1..<(1 << items.count)).map { mask in items.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element) }
        let accepted = subsets.filter { (try? BundleMenu.choose($0, bundle: bundle, catalog: catalog)) != nil }.count
        print("BundleNotice: \(subsets.count) subsets of \(items.count) items, \(accepted) allowed by the menu's rules")
    }
}
