import Foundation
import XCTest
@testable import NumeralVision

final class AugmentDigitTests: XCTestCase {
    private func dot(x: Int, y: Int) -> GrayImage {
        var image = GrayImage(width: 28, height: 28)
        image[x, y] = 1
        return image
    }

    private func warp(_ image: GrayImage, _ map: AugmentWarp) -> GrayImage {
        var out = [Float](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                map.resample(src: src.baseAddress!, dst: dst.baseAddress!, width: image.width, height: image.height, control: nil)
            }
        }
        return GrayImage(width: image.width, height: image.height, pixels: out)
    }

    private func mnistSamples(_ n: Int) throws -> [GrayImage] {
        let test = try MNISTFixture.requireTestSplit()
        return (0..<n).map { test.grayImage(at: $0 * 37 % test.count) }
    }

    func testIdentityCopiesExactly() throws {
        var rng = SplitMix64(seed: 1)
        for image in try mnistSamples(5) {
            XCTAssertEqual(DigitAugmenter.identity.augment(image, using: &rng), image)
        }
    }

    func testAffineMapMovesPixelsWhereExpected() {
        let shifted = warp(dot(x: 10, y: 10), AugmentWarp(angle: 0, scale: 1, aspect: 1, shear: 0, shiftX: 2, shiftY: 1, width: 28, height: 28))
        XCTAssertEqual(shifted[12, 11], 1, accuracy: 1e-5)
        XCTAssertEqual(ImageMetrics.mass(shifted), 1, accuracy: 1e-5)

        // 90 degrees clockwise on screen about the centre (13.5, 13.5): right of centre goes below it.
        let turned = warp(dot(x: 20, y: 13), AugmentWarp(angle: .pi / 2, scale: 1, aspect: 1, shear: 0, shiftX: 0, shiftY: 0, width: 28, height: 28))
        let turnedCenter = ImageMetrics.centerOfMass(turned)
        XCTAssertEqual(turnedCenter.x, 14, accuracy: 0.01)
        XCTAssertEqual(turnedCenter.y, 20, accuracy: 0.01)

        // Doubling the scale doubles the distance from the centre.
        let scaled = warp(dot(x: 17, y: 13), AugmentWarp(angle: 0, scale: 2, aspect: 1, shear: 0, shiftX: 0, shiftY: 0, width: 28, height: 28))
        XCTAssertEqual(ImageMetrics.centerOfMass(scaled).x, 13.5 + 2 * 3.5, accuracy: 0.3)

        // A shear slants along x in proportion to the distance from the centre row.
        let sheared = warp(dot(x: 13, y: 3), AugmentWarp(angle: 0, scale: 1, aspect: 1, shear: 0.2, shiftX: 0, shiftY: 0, width: 28, height: 28))
        XCTAssertEqual(ImageMetrics.centerOfMass(sheared).x, 13 + 0.2 * (3 - 13.5), accuracy: 0.3)
    }

    func testSameSeedSameResultDifferentSeedDifferentResult() throws {
        let augmenter = DigitAugmenter()
        let image = try mnistSamples(1)[0]
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let first = (0..<20).map { _ in augmenter.augment(image, using: &a) }
        let second = (0..<20).map { _ in augmenter.augment(image, using: &b) }
        let other = (0..<20).map { _ in augmenter.augment(image, using: &c) }
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first, other)
        XCTAssertGreaterThan(Set(first.map(\.pixels)).count, 15, "each call should draw a fresh distortion")
    }

    func testAugmentedDigitsStayRecognisablyTheSame() throws {
        let augmenter = DigitAugmenter()
        var rng = SplitMix64(seed: 7)
        var correlations: [Float] = []
        for image in try mnistSamples(200) {
            let out = augmenter.augment(image, using: &rng)
            XCTAssertTrue(ImageMetrics.isValid(out))
            let ratio = ImageMetrics.mass(out) / ImageMetrics.mass(image)
            XCTAssertTrue((0.45...1.8).contains(ratio), "ink mass ratio \(ratio) is implausible")
            let (cx, cy) = ImageMetrics.centerOfMass(out)
            XCTAssertTrue((9...18).contains(cx) && (9...18).contains(cy), "centre of mass (\(cx), \(cy)) drifted too far")
            correlations.append(ImageMetrics.correlation(image, out))
        }
        correlations.sort()
        let median = correlations[correlations.count / 2]
        XCTAssertGreaterThan(median, 0.45, "typical augmentation should keep the digit's shape")
        XCTAssertLessThan(median, 0.97, "augmentation should actually change the image")
    }

    func testElasticOnlyDisplacesLocallyWithinAlpha() throws {
        let elasticOnly = DigitAugmenter(maxRotationDegrees: 0, scaleRange: 1...1, maxAspectJitter: 0, maxShear: 0, maxShift: 0,
                                         elasticAlpha: 2, elasticGridSpacing: 7, elasticProbability: 1, strokeWidthProbability: 0)
        var rng = SplitMix64(seed: 3)
        var changed = 0
        for image in try mnistSamples(50) {
            let out = elasticOnly.augment(image, using: &rng)
            if out != image { changed += 1 }
            let before = ImageMetrics.centerOfMass(image), after = ImageMetrics.centerOfMass(out)
            XCTAssertLessThanOrEqual(abs(before.x - after.x), 2.1)
            XCTAssertLessThanOrEqual(abs(before.y - after.y), 2.1)
        }
        XCTAssertEqual(changed, 50)
    }

    func testStrokeWidthChangesInkInTheRightDirection() throws {
        let image = try mnistSamples(1)[0]
        for operation in [AugmentStrokeWidth.Operation.thicken, .thin] {
            var pixels = image.pixels
            var scratch = [Float](repeating: 0, count: pixels.count)
            pixels.withUnsafeMutableBufferPointer { p in
                scratch.withUnsafeMutableBufferPointer { s in
                    AugmentStrokeWidth.apply(operation, strength: 1, width: 28, height: 28, image: p.baseAddress!, scratch: s.baseAddress!)
                }
            }
            let ratio = pixels.reduce(0, +) / ImageMetrics.mass(image)
            if operation == .thicken { XCTAssertGreaterThan(ratio, 1.3) } else { XCTAssertLessThan(ratio, 0.75) }
            XCTAssertTrue(pixels.allSatisfy { (0...1).contains($0) })
        }
    }

    func testWorksOnOtherSizesAndDegenerateImages() {
        var rng = SplitMix64(seed: 9)
        let wide = GrayImage(width: 40, height: 20, fill: 0.5)
        XCTAssertTrue(ImageMetrics.isValid(DigitAugmenter().augment(wide, using: &rng)))
        XCTAssertEqual(DigitAugmenter().augment(GrayImage(width: 0, height: 0), using: &rng).pixels.count, 0)
        XCTAssertEqual(DigitAugmenter().augment(GrayImage(width: 1, height: 1, fill: 1), using: &rng).width, 1)
    }

    func testSpeedPerImage() throws {
        let images = try mnistSamples(64)
        let augmenter = DigitAugmenter(elasticProbability: 1, strokeWidthProbability: 1)
        var rng = SplitMix64(seed: 11)
        var out = [Float](repeating: 0, count: 784)
        let rounds = 40
        let start = Date()
        for _ in 0..<rounds {
            for image in images {
                image.pixels.withUnsafeBufferPointer { src in
                    out.withUnsafeMutableBufferPointer { augmenter.augment(src, into: $0, using: &rng) }
                }
            }
        }
        let micros = Date().timeIntervalSince(start) * 1e6 / Double(rounds * images.count)
        print("DigitAugmenter: \(String(format: "%.1f", micros)) µs per image (elastic + stroke width every time)")
        // NumeralVision is built with -Ounchecked even in debug; the release target is < 20 µs.
        XCTAssertLessThan(micros, 200)
    }
}
