import XCTest
@testable import Tensors

final class TrainingTests: XCTestCase {
    func testAdamWMatchesReferenceUpdate() {
        // Reference values from the AdamW equations in Double for two steps.
        let p = Parameter(Tensor(shape: [2, 1], scalars: [1.0, -2.0]))
        let opt = AdamW([(name: "w", parameter: p)], learningRate: 0.1, weightDecay: 0.5)
        var ref: [Double] = [1.0, -2.0], m = [0.0, 0.0], v = [0.0, 0.0]
        for step in 1...2 {
            let grads: [Double] = [0.3 * Double(step), -0.7]
            p.setGrad(Tensor(shape: [2, 1], scalars: grads.map(Float.init)))
            opt.step()
            for i in 0..<2 {
                ref[i] *= 1 - 0.1 * 0.5
                m[i] = 0.9 * m[i] + 0.1 * grads[i]
                v[i] = 0.999 * v[i] + 0.001 * grads[i] * grads[i]
                let mh = m[i] / (1 - pow(0.9, Double(step))), vh = v[i] / (1 - pow(0.999, Double(step)))
                ref[i] -= 0.1 * mh / (vh.squareRoot() + 1e-8)
            }
        }
        XCTAssertEqual(Double(p.value.scalars[0]), ref[0], accuracy: 1e-5)
        XCTAssertEqual(Double(p.value.scalars[1]), ref[1], accuracy: 1e-5)
    }

    func testAdamWExcludesVectorsFromDecayAndResumesExactly() throws {
        var rng = RandomGenerator(seed: 3)
        let layer = Linear(3, 2, rng: &rng)
        let opt = AdamW(layer.namedParameters(), learningRate: 0.01, weightDecay: 0.1)
        XCTAssertEqual(opt.parameters.map(\.decays), [true, false])  // weight decays, bias does not
        func train(_ opt: AdamW, steps: Int) throws {
            for _ in 0..<steps {
                let g = Graph()
                layer.zeroGrad()
                try g.backward(sum(square(layer(g.input(Tensor(shape: [1, 3], scalars: [1, 2, 3]))))))
                opt.step()
            }
        }
        try train(opt, steps: 3)
        let saved = opt.state(), weights = layer.stateDict()
        try train(opt, steps: 2)
        let expected = layer.stateDict()
        try layer.load(weights)
        let resumed = AdamW(layer.namedParameters(), learningRate: 0.01, weightDecay: 0.1)
        try resumed.load(state: saved)
        XCTAssertEqual(resumed.stepCount, 3)
        try train(resumed, steps: 2)
        XCTAssertEqual(layer.stateDict(), expected)
        XCTAssertThrowsError(try resumed.load(state: [:]))
    }

    /// The step count comes from a checkpoint and becomes an `Int` in unchecked code: a value no
    /// run reaches (1e30, a fraction, a negative) is refused, the state left as it was.
    func testAdamWRefusesAStepCountOutsideItsRange() throws {
        var rng = RandomGenerator(seed: 3)
        let layer = Linear(3, 2, rng: &rng)
        let opt = AdamW(layer.namedParameters(), learningRate: 0.01)
        for bad: Float in [1e30, -1, 2.5, AdamW.maximumStepCount * 2] {
            var state = opt.state()
            state["adamw.step"] = Tensor(bad)
            XCTAssertThrowsError(try opt.load(state: state)) { error in
                XCTAssertEqual(error as? OptimizerStateError,
                               .outOfRange("adamw.step", value: bad, allowed: "a whole number 0…1073741824"), "\(error)")
            }
            XCTAssertEqual(opt.stepCount, 0)
        }
        var state = opt.state()
        state["adamw.step"] = Tensor(7)
        try opt.load(state: state)
        XCTAssertEqual(opt.stepCount, 7)
    }

    func testGradientClippingByGlobalNorm() {
        let a = Parameter(Tensor(zeros: [2])), b = Parameter(Tensor(zeros: [1]))
        a.setGrad(Tensor(shape: [2], scalars: [3, 0]))
        b.setGrad(Tensor(shape: [1], scalars: [4]))
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 1), 5, accuracy: 1e-6)
        XCTAssertEqual(a.grad!.scalars[0], 0.6, accuracy: 1e-5)
        XCTAssertEqual(b.grad!.scalars[0], 0.8, accuracy: 1e-5)
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 10), 1, accuracy: 1e-5)  // below the limit: unchanged
        XCTAssertEqual(b.grad!.scalars[0], 0.8, accuracy: 1e-5)
    }

    /// Every way a parameter's value changes advances its version: assignment, an optimiser step
    /// in place, EMA's swap; a step that skips it (no gradient) does not.
    func testParameterVersionAdvancesWithEveryChange() {
        let p = Parameter(Tensor(shape: [2], scalars: [1, 2]))
        let other = Parameter(Tensor(shape: [1], scalars: [0]))
        var version = p.version
        p.assign(Tensor(shape: [2], scalars: [3, 4]))
        XCTAssertGreaterThan(p.version, version)
        version = p.version
        let opt = AdamW([(name: "p", parameter: p), (name: "other", parameter: other)], learningRate: 0.1)
        p.setGrad(Tensor(shape: [2], scalars: [1, -1]))
        let untouched = other.version
        opt.step()
        XCTAssertGreaterThan(p.version, version, "an in-place optimiser step")
        XCTAssertEqual(other.version, untouched, "a parameter without a gradient is not stepped")
        version = p.version
        let ema = EMA([(name: "p", parameter: p)], decay: 0.5)
        _ = ema.apply()
        XCTAssertGreaterThan(p.version, version, "EMA's weights swapped in")
    }

    func testEMA() throws {
        let p = Parameter(Tensor(shape: [1], scalars: [0]))
        let ema = EMA([(name: "p", parameter: p)], decay: 0.5)
        p.assign(Tensor(shape: [1], scalars: [4])); ema.update()   // 2
        p.assign(Tensor(shape: [1], scalars: [4])); ema.update()   // 3
        XCTAssertEqual(ema.averagedWeights()["p"]?.scalars, [3])
        let previous = ema.apply()
        XCTAssertEqual(p.value.scalars, [3])
        ema.restore(previous)
        XCTAssertEqual(p.value.scalars, [4])
        let copy = EMA([(name: "p", parameter: p)])
        try copy.load(state: ema.state())
        XCTAssertEqual(copy.shadow, ema.shadow)
    }

    func testWarmupCosineSchedule() {
        let s = WarmupCosineSchedule(peak: 1, minimum: 0.1, warmupSteps: 10, totalSteps: 110)
        XCTAssertEqual(s(0), 0.1, accuracy: 1e-6)
        XCTAssertEqual(s(9), 1, accuracy: 1e-6)
        XCTAssertEqual(s(10), 1, accuracy: 1e-6)
        XCTAssertEqual(s(60), 0.55, accuracy: 1e-5)
        XCTAssertEqual(s(110), 0.1, accuracy: 1e-6)
        XCTAssertEqual(s(500), 0.1, accuracy: 1e-6)
    }

    func testRandomGeneratorIsDeterministicAndWellDistributed() {
        var a = RandomGenerator(seed: 7), b = RandomGenerator(seed: 7), c = RandomGenerator(seed: 8)
        let xs = a.normal([10_000]), ys = b.normal([10_000]), zs = c.normal([10_000])
        XCTAssertEqual(xs, ys)
        XCTAssertNotEqual(xs, zs)
        let mean = xs.sum() / 10_000
        let variance = (xs * xs).sum() / 10_000 - mean * mean
        XCTAssertEqual(mean, 0, accuracy: 0.05)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
        let u = a.uniform([10_000], low: -1, high: 3)
        XCTAssertGreaterThanOrEqual(u.scalars.min()!, -1)
        XCTAssertLessThan(u.scalars.max()!, 3)
        XCTAssertEqual(u.sum() / 10_000, 1, accuracy: 0.05)
        // The stream is xoshiro256** seeded by SplitMix64: values from an independent Python implementation.
        var d = RandomGenerator(seed: 42)
        XCTAssertEqual([d.next(), d.next(), d.next()], [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009])
        var z = RandomGenerator(seed: 0)
        XCTAssertEqual(z.next(), 11_091_344_671_253_066_420)
    }
}
