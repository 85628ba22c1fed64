import Foundation
import Supervision
import Testing

@Suite("双随机 draws are reproducible from their published seed and fair")
struct SeededDrawTests {
    @Test("the same seed and pools give the same picks; another seed gives others")
    func reproducible() {
        let candidates = (1...40).map { "420104-2026-ZH-\(String(format: "%06d", $0))" }
        let inspectors = ["孙建", "吴涛", "杨帆"]
        var first = SeededDraw(seed: 20_261_123)
        var again = SeededDraw(seed: 20_261_123)
        var other = SeededDraw(seed: 20_261_124)
        let picks = first.pick(5, of: candidates, inspectors: inspectors)
        #expect(picks.map(\.0) == again.pick(5, of: candidates, inspectors: inspectors).map(\.0))
        #expect(picks.map(\.0) != other.pick(5, of: candidates, inspectors: inspectors).map(\.0))
        #expect(Set(picks.map(\.0)).count == 5)
    }

    @Test("a sample larger than the pool takes the whole pool once")
    func wholePool() {
        var draw = SeededDraw(seed: 7)
        let picks = draw.pick(10, of: ["a", "b", "c"], inspectors: ["x"])
        #expect(picks.map(\.0).sorted() == ["a", "b", "c"])
    }

    @Test("each candidate is about equally likely: 60,000 draws below 3 land within 2% of a third each")
    func uniform() {
        var draw = SeededDraw(seed: 1)
        var counts = [0, 0, 0]
        for _ in 0..<60_000 { counts[draw.below(3)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 20_000) < 400 }, "\(counts)")
    }
}
